package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.mfagov.graphsim.DemoTenants.MESSY;
import static io.mfagov.graphsim.DemoTenants.SECURITY_DEFAULTS;
import static io.mfagov.graphsim.DemoTenants.WELL_RUN;
import static io.mfagov.graphsim.Http.get;
import static io.mfagov.graphsim.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

/** Graph's limits, on by default, on the simulator's manual clock (no sleeping, no timing flakiness). */
class LimitsTest {

    static final ManualClock clock = new ManualClock();
    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(Http.config().demoTenants().clock(clock).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void fresh() {
        sim.admin().setLimits(LimitsConfig.graphDefaults());
        sim.admin().resetAll();
    }

    @Test
    void limitsAreOnByDefault() {
        assertThat(SimulatorConfig.defaults().limits()).isEqualTo(LimitsConfig.graphDefaults());
        assertThat(sim.admin().limits().enabled()).isTrue();
    }

    @Test
    void caPolicyReadsOverOnePerSecondAre429WithoutRetryAfter() {
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
        Http.Res second = get(sim, WELL_RUN, "/identity/conditionalAccess/policies");
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.header("Retry-After")).isNull();
        assertThat(Shapes.exactDifferences(Http.example("throttled-429.json"), second.json())).isEmpty();
        // named locations share the bucket
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/namedLocations").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(999));
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/namedLocations").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/namedLocations").status()).isEqualTo(200);
        // per tenant: another tenant is not affected
        assertThat(get(sim, MESSY, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
        assertThat(sim.counters().throttled(WELL_RUN)).isEqualTo(3);
    }

    @Test
    void directoryReadsOverTheResourceUnitBucketAre429WithRetryAfter() {
        sim.admin().setLimits(LimitsConfig.graphDefaults().withDirectoryRu(12, 12, 12));
        String ids = "{\"ids\":[\"" + sim.tenant(MESSY).users().get(0).id() + "\"]}";
        Http.Res first = post(sim, MESSY, "/directoryObjects/getByIds", ids);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("x-ms-resource-unit")).isEqualTo("5");
        assertThat(post(sim, MESSY, "/directoryObjects/getByIds", ids).status()).isEqualTo(200);
        Http.Res third = post(sim, MESSY, "/directoryObjects/getByIds", ids); // 15 > 12 RU
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.header("Retry-After")).isNotNull();
        assertThat(third.header("Retry-After")).isEqualTo("3"); // (5 - 2) RU at 12 RU / 10 s
        assertThat(third.header("x-ms-throttle-information")).isEqualTo("ResourceUnitLimitExceeded");
        // what is left (2 RU) still fits a cheaper request: with $select getByIds costs 2 RU
        Http.Res cheap = post(sim, MESSY, "/directoryObjects/getByIds?$select=id", ids);
        assertThat(cheap.status()).isEqualTo(200);
        assertThat(cheap.header("x-ms-resource-unit")).isEqualTo("2");
        Http.Res empty = post(sim, MESSY, "/directoryObjects/getByIds", ids);
        assertThat(empty.status()).isEqualTo(429);
        int wait = Integer.parseInt(empty.header("Retry-After")); // 5 RU at 1.2 RU/s
        assertThat(wait).isEqualTo(5);
        clock.advance(Duration.ofSeconds(wait - 1));
        assertThat(post(sim, MESSY, "/directoryObjects/getByIds", ids).status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(post(sim, MESSY, "/directoryObjects/getByIds", ids).status()).isEqualTo(200);
    }

    @Test
    void directoryQuotaFollowsTenantSize() {
        LimitsConfig c = LimitsConfig.graphDefaults();
        assertThat(c.directoryRuFor(10)).isEqualTo(3500);
        assertThat(c.directoryRuFor(50)).isEqualTo(5000);
        assertThat(c.directoryRuFor(501)).isEqualTo(8000);
        // a small tenant can do 700 getByIds (5 RU) calls in a burst, not 701
        int ok = 0;
        String ids = "{\"ids\":[]}";
        for (int i = 0; i < 701; i++) {
            if (post(sim, SECURITY_DEFAULTS, "/directoryObjects/getByIds", ids).status() == 200) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(700);
    }

    @Test
    void reportsOverFivePerTenSecondsAre429WithRetryAfter() {
        for (int i = 0; i < 5; i++) {
            assertThat(get(sim, WELL_RUN, "/reports/authenticationMethods/userRegistrationDetails").status()).isEqualTo(200);
        }
        Http.Res sixth = get(sim, WELL_RUN, "/auditLogs/signIns");
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.header("Retry-After")).isEqualTo("2");
        String user = sim.tenant(WELL_RUN).users().get(0).id();
        assertThat(get(sim, WELL_RUN, "/users/" + user + "/authentication/methods").status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(2));
        assertThat(get(sim, WELL_RUN, "/users/" + user + "/authentication/methods").status()).isEqualTo(200);
        assertThat(get(sim, MESSY, "/auditLogs/signIns").status()).isEqualTo(200);
    }

    @Test
    void batchedRequestsAreThrottledIndividually() {
        StringBuilder b = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 3; i++) {
            b.append(i == 1 ? "" : ",").append("{\"id\":\"").append(i)
                    .append("\",\"method\":\"GET\",\"url\":\"/identity/conditionalAccess/policies\"}");
        }
        b.append("]}");
        Http.Res r = post(sim, WELL_RUN, "/$batch", b.toString());
        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.json().get("responses");
        assertThat(responses).extracting(n -> n.get("status").asInt()).containsExactly(200, 429, 429);
        assertThat(responses.get(1).get("headers").has("Retry-After")).isFalse();
    }

    @Test
    void policiesAndNamedLocationsShareOneCaBucketInsideOneBatch() {
        String policy = sim.tenant(WELL_RUN).policyEntries().get(0).id();
        String location = sim.tenant(WELL_RUN).namedLocations().get(0).path("id").asText();
        String body = """
                {"requests":[
                  {"id":"1","method":"GET","url":"/identity/conditionalAccess/namedLocations"},
                  {"id":"2","method":"GET","url":"/identity/conditionalAccess/policies"},
                  {"id":"3","method":"GET","url":"/identity/conditionalAccess/policies/%s"},
                  {"id":"4","method":"GET","url":"/identity/conditionalAccess/namedLocations/%s"},
                  {"id":"5","method":"GET","url":"/policies/authenticationStrengthPolicies"}
                ]}""".formatted(policy, location);
        Http.Res r = post(sim, WELL_RUN, "/$batch", body);
        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.json().get("responses");
        // each inner CA request counts against the one 1 req/s bucket; the strengths list is a directory read
        assertThat(responses).extracting(n -> n.get("status").asInt()).containsExactly(200, 429, 429, 429, 200);
        for (int i = 1; i <= 3; i++) {
            assertThat(responses.get(i).get("headers").has("Retry-After")).isFalse();
            assertThat(responses.get(i).at("/body/error/code").asText()).isEqualTo("TooManyRequests");
        }
        assertThat(sim.counters().throttled(WELL_RUN)).isEqualTo(3);
        // a second later one CA request fits again, whichever of the two resources it reads
        clock.advance(Duration.ofSeconds(1));
        JsonNode again = post(sim, WELL_RUN, "/$batch", body).json().get("responses");
        assertThat(again).extracting(n -> n.get("status").asInt()).containsExactly(200, 429, 429, 429, 200);
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(429);
    }

    @Test
    void limitsCanBeSwitchedOff() {
        sim.admin().setLimitsEnabled(false);
        for (int i = 0; i < 20; i++) {
            assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
        }
        // and reconfigured through the admin API
        Http.Res put = Http.method("PUT", sim.adminUrl() + "/limits", null, "{\"enabled\":true,\"caRequestsPerSecond\":2,\"caBurst\":2}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("caBurst").asInt()).isEqualTo(2);
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(500));
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
    }
}
