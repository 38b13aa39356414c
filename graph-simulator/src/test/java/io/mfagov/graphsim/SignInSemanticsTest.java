package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.graphsim.internal.Json;
import io.mfagov.graphsim.model.TenantFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in listing as Graph documents it: interactive by default, event types in beta, 30-day retention; per-user MFA. */
class SignInSemanticsTest {

    static final String T = "5a5a5a5a-0000-4000-8000-000000000014";
    static final String U1 = "5a5a5a5a-0000-4000-8000-0000000000a1";
    static final String U2 = "5a5a5a5a-0000-4000-8000-0000000000a2";
    static final String SP = "5a5a5a5a-0000-4000-8000-0000000000b1";
    static GraphSimulator sim;

    @BeforeAll
    static void start() throws Exception {
        TenantFixture f = Json.MAPPER.readValue("""
                {"tenantId":"%s","app":{"clientId":"5a5a5a5a-0000-4000-8000-0000000000c1","simulatorClientSecret":"sim-only"},
                 "users":[{"id":"%s","userPrincipalName":"ann@t.example","perUserMfaState":"enforced"},
                          {"id":"%s","userPrincipalName":"bob@t.example"}],
                 "servicePrincipals":[{"id":"%s","appId":"5a5a5a5a-0000-4000-8000-0000000000d1","displayName":"Backup Connector"}],
                 "signIns":[
                   {"id":"i1","createdDateTime":"-2h","userId":"%s"},
                   {"id":"n1","createdDateTime":"-3h","userId":"%s","isInteractive":false,"clientAppUsed":"Exchange ActiveSync"},
                   {"id":"s1","createdDateTime":"-1h","servicePrincipalId":"%s"},
                   {"id":"old","createdDateTime":"-40d","userId":"%s"}]}
                """.formatted(T, U1, U2, SP, U1, U2, SP, U2), TenantFixture.class);
        sim = GraphSimulator.start(Http.config().tenant(f).noLimits().build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static JsonNode beta(String pathAndQuery) {
        return Http.get(sim.betaBaseUrl() + pathAndQuery, sim.staticToken(T)).json();
    }

    @Test
    void interactiveOnlyByDefaultAndEventTypesSelectTheOtherLogsInBeta() {
        assertThat(Http.get(sim, T, "/auditLogs/signIns").json().get("value")).extracting(n -> n.get("id").asText()).containsExactly("i1");
        assertThat(beta("/auditLogs/signIns").get("value")).extracting(n -> n.get("id").asText()).containsExactly("i1");
        assertThat(beta("/auditLogs/signIns?$filter=signInEventTypes/any(t:%20t%20eq%20'nonInteractiveUser')").get("value"))
                .extracting(n -> n.get("id").asText()).containsExactly("n1");
        JsonNode sp = beta("/auditLogs/signIns?$filter=signInEventTypes/any(t:%20t%20eq%20'servicePrincipal')").get("value");
        assertThat(sp).extracting(n -> n.get("id").asText()).containsExactly("s1");
        assertThat(sp.get(0).get("userId").asText()).isEmpty();
        assertThat(sp.get(0).get("servicePrincipalId").asText()).isEqualTo(SP);
        assertThat(sp.get(0).get("servicePrincipalName").asText()).isEqualTo("Backup Connector");
        assertThat(sp.get(0).get("appId").asText()).isEqualTo("5a5a5a5a-0000-4000-8000-0000000000d1");
        assertThat(beta("/auditLogs/signIns?$filter=signInEventTypes/any(t:%20t%20eq%20'interactiveUser')").get("value"))
                .extracting(n -> n.get("id").asText()).containsExactly("i1");
    }

    @Test
    void relativeTimesResolveAtLoadAndOlderThanThirtyDaysIsNeverReturned() {
        JsonNode all = beta("/auditLogs/signIns?$filter=signInEventTypes/any(t:%20t%20ne%20'none')").get("value");
        assertThat(all).extracting(n -> n.get("id").asText()).containsExactly("s1", "i1", "n1");
        Instant i1 = Instant.parse(Http.get(sim, T, "/auditLogs/signIns").json().at("/value/0/createdDateTime").asText());
        assertThat(i1).isBetween(Instant.now().minusSeconds(2 * 3600 + 120), Instant.now().minusSeconds(2 * 3600 - 120));
        assertThat(sim.tenant(T).signIns().size()).isEqualTo(4);
    }

    @Test
    void perUserMfaStateIsBetaOnlyAndInBatch() {
        JsonNode ann = beta("/users/" + U1 + "/authentication/requirements");
        assertThat(ann.get("perUserMfaState").asText()).isEqualTo("enforced");
        assertThat(beta("/users/" + U2 + "/authentication/requirements").get("perUserMfaState").asText()).isEqualTo("disabled");
        Http.Res v1 = Http.get(sim, T, "/users/" + U1 + "/authentication/requirements");
        assertThat(v1.status()).isEqualTo(400);
        assertThat(v1.json().at("/error/message").asText()).isEqualTo("Resource not found for the segment 'requirements'.");
        assertThat(Http.get(sim.betaBaseUrl() + "/users/5a5a5a5a-0000-4000-8000-0000000000ff/authentication/requirements",
                sim.staticToken(T)).status()).isEqualTo(404);
        long before = sim.counters().forTenant(T, "perUserMfa");
        Http.Res batch = Http.post(sim.betaBaseUrl() + "/$batch", sim.staticToken(T), """
                {"requests":[{"id":"1","method":"GET","url":"/users/%s/authentication/requirements"},
                             {"id":"2","method":"GET","url":"/users/%s/authentication/requirements"}]}""".formatted(U1, U2));
        assertThat(batch.json().get("responses")).extracting(n -> n.at("/body/perUserMfaState").asText())
                .containsExactlyInAnyOrder("enforced", "disabled");
        assertThat(sim.counters().forTenant(T, "perUserMfa") - before).isEqualTo(2);
    }
}
