package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A generated tenant with 10,000 users and 200,000 sign-ins in the window, listed in pages of 1,000 with a filter. */
class LargeSignInLogTest {

    @Test
    void twoHundredThousandGeneratedSignInsPageThroughWithATimeAndStatusFilter() {
        try (GraphSimulator sim = GraphSimulator.start(SimulatorConfig.builder().generated(14, 1).usersPerTenant(10_000)
                .signInsPerTenant(200_000).noLimits().eventLoops(1).dataDir(Path.of("target", "graph-simulator")).build())) {
            String tenant = sim.tenants().ids().get(0);
            assertThat(sim.tenant(tenant).users()).hasSizeGreaterThanOrEqualTo(10_000);
            String since = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
            String url = sim.betaBaseUrl() + "/auditLogs/signIns?$top=1000&$select=id,createdDateTime,status,authenticationRequirement"
                    + "&$filter=createdDateTime%20ge%20" + since + "%20and%20status/errorCode%20eq%200"
                    + "%20and%20signInEventTypes/any(t:%20t%20eq%20'interactiveUser'%20or%20t%20eq%20'nonInteractiveUser')";
            long t0 = System.nanoTime();
            int pages = 0;
            int rows = 0;
            Set<String> requirements = new HashSet<>();
            String prev = null;
            while (url != null) {
                JsonNode page = Http.get(url, sim.staticToken(tenant)).json();
                for (JsonNode s : page.get("value")) {
                    assertThat(s.at("/status/errorCode").asInt()).isZero();
                    String at = s.get("createdDateTime").asText();
                    assertThat(prev == null || at.compareTo(prev) <= 0).isTrue();
                    prev = at;
                    requirements.add(s.get("authenticationRequirement").asText());
                    rows++;
                }
                pages++;
                url = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            }
            System.out.printf("200k sign-ins: %d rows in %d pages, %d ms%n", rows, pages, (System.nanoTime() - t0) / 1_000_000);
            assertThat(rows).isBetween(150_000, 200_000);
            assertThat(pages).isEqualTo((rows + 999) / 1000);
            assertThat(requirements).containsExactlyInAnyOrder("singleFactorAuthentication", "multiFactorAuthentication");
        }
    }
}
