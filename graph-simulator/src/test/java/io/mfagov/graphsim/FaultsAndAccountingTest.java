package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.mfagov.graphsim.DemoTenants.MESSY;
import static io.mfagov.graphsim.DemoTenants.SECURITY_DEFAULTS;
import static io.mfagov.graphsim.DemoTenants.WELL_RUN;
import static io.mfagov.graphsim.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault kind, per tenant and global, set programmatically and through the admin API; request accounting. */
class FaultsAndAccountingTest {

    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        // one event loop: latency must not block it
        sim = GraphSimulator.start(Http.config().demoTenants().noLimits().eventLoops(1).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void fresh() {
        sim.admin().resetAll();
    }

    @Test
    void latencyIsAddedWithoutBlockingTheEventLoop() throws Exception {
        sim.admin().setGlobalFaults(FaultSpec.none().withLatency(400, 100));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long t0 = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(client.sendAsync(HttpRequest.newBuilder(URI.create(sim.graphBaseUrl() + "/organization"))
                    .header("Authorization", "Bearer " + sim.staticToken(WELL_RUN)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (var f : all) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        // 100 × 400 ms sequentially would be 40 s; concurrently it is about one latency (generous bound for a loaded box)
        assertThat(ms).isGreaterThanOrEqualTo(400).isLessThan(15_000);
        long single0 = System.nanoTime();
        assertThat(get(sim, WELL_RUN, "/organization").status()).isEqualTo(200);
        assertThat((System.nanoTime() - single0) / 1_000_000).isGreaterThanOrEqualTo(400);
    }

    @Test
    void shareOfInjectedErrorsIsAnsweredWithEachStatus() {
        for (int status : new int[] {429, 500, 503, 504}) {
            sim.admin().setTenantFaults(MESSY, FaultSpec.none().withErrorShare(status, 1.0));
            Http.Res r = get(sim, MESSY, "/users");
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.json().at("/error/code").asText()).isNotBlank();
            assertThat(r.header("Retry-After")).isNull();
            // the other tenants are not affected
            assertThat(get(sim, WELL_RUN, "/users").status()).isEqualTo(200);
        }
        sim.admin().setTenantFaults(MESSY, FaultSpec.none().withErrorShare(429, 1.0).withRetryAfterSeconds(7));
        assertThat(get(sim, MESSY, "/users").header("Retry-After")).isEqualTo("7");
        assertThat(sim.counters().throttled(MESSY)).isEqualTo(2);
    }

    @Test
    void aHalfShareFailsRoughlyHalfTheRequests() {
        sim.admin().setGlobalFaults(FaultSpec.none().withErrorShare(503, 0.5));
        int failed = 0;
        for (int i = 0; i < 400; i++) {
            if (get(sim, WELL_RUN, "/organization").status() == 503) {
                failed++;
            }
        }
        assertThat(failed).isBetween(140, 260);
    }

    @Test
    void connectionResetsAnswerNothing() {
        sim.admin().setTenantFaults(WELL_RUN, FaultSpec.none().withConnectionResets(1.0));
        assertThatThrownBy(() -> get(sim, WELL_RUN, "/organization")).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(get(sim, MESSY, "/organization").status()).isEqualTo(200);
    }

    @Test
    void truncatedAndMalformedJsonBodies() {
        sim.admin().setTenantFaults(WELL_RUN, FaultSpec.none().withTruncatedJson(1.0));
        Http.Res truncated = get(sim, WELL_RUN, "/identity/conditionalAccess/policies");
        assertThat(truncated.status()).isEqualTo(200);
        assertThat(truncated.body()).startsWith("{\"@odata.context\"");
        assertThatThrownBy(truncated::json).isInstanceOf(AssertionError.class);
        sim.admin().setTenantFaults(WELL_RUN, FaultSpec.none().withMalformedJson(1.0));
        Http.Res malformed = get(sim, WELL_RUN, "/identity/conditionalAccess/policies");
        assertThat(malformed.status()).isEqualTo(200);
        assertThatThrownBy(malformed::json).isInstanceOf(AssertionError.class);
        // errors are never corrupted
        assertThat(get(sim, WELL_RUN, "/users/nobody").json().at("/error/code").asText()).isEqualTo("Request_ResourceNotFound");
    }

    @Test
    void revokedConsentIsRefusedFor403Or401() {
        sim.admin().setTenantFaults(SECURITY_DEFAULTS, FaultSpec.none().withConsentRevoked(403));
        Http.Res r = get(sim, SECURITY_DEFAULTS, "/organization");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("Authorization_RequestDenied");
        sim.admin().setTenantFaults(SECURITY_DEFAULTS, FaultSpec.none().withConsentRevoked(401));
        assertThat(get(sim, SECURITY_DEFAULTS, "/organization").status()).isEqualTo(401);
        assertThat(get(sim, WELL_RUN, "/organization").status()).isEqualTo(200);
        sim.admin().setTenantFaults(SECURITY_DEFAULTS, null);
        assertThat(get(sim, SECURITY_DEFAULTS, "/organization").status()).isEqualTo(200);
    }

    @Test
    void faultsCanTargetEndpointsAndTenantSpecsOverrideGlobal() {
        sim.admin().setGlobalFaults(FaultSpec.none().withErrorShare(500, 1.0).onlyFor(Set.of("caPolicies")));
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(500);
        assertThat(get(sim, WELL_RUN, "/users").status()).isEqualTo(200);
        sim.admin().setTenantFaults(MESSY, FaultSpec.none());
        assertThat(get(sim, MESSY, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
        sim.admin().clearFaults();
        assertThat(get(sim, WELL_RUN, "/identity/conditionalAccess/policies").status()).isEqualTo(200);
    }

    @Test
    void faultsChangeAtRunTimeThroughTheAdminApi() {
        Http.Res put = Http.method("PUT", sim.adminUrl() + "/tenants/" + WELL_RUN + "/faults", null,
                "{\"error504\":1.0,\"endpoints\":[\"users\"]}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(get(sim, WELL_RUN, "/users").status()).isEqualTo(504);
        assertThat(get(sim, WELL_RUN, "/organization").status()).isEqualTo(200);
        Http.Res global = Http.method("PUT", sim.adminUrl() + "/faults", null, "{\"consentRevoked\":true}");
        assertThat(global.status()).isEqualTo(200);
        assertThat(get(sim, MESSY, "/organization").status()).isEqualTo(403);
        JsonNode state = Http.get(sim.adminUrl() + "/faults", null).json();
        assertThat(state.at("/global/consentRevoked").asBoolean()).isTrue();
        assertThat(state.at("/tenants/" + WELL_RUN + "/error504").asDouble()).isEqualTo(1.0);
        assertThat(Http.method("DELETE", sim.adminUrl() + "/faults", null, null).status()).isEqualTo(200);
        assertThat(get(sim, MESSY, "/organization").status()).isEqualTo(200);
        assertThat(get(sim, WELL_RUN, "/users").status()).isEqualTo(200);
        assertThat(Http.method("PUT", sim.adminUrl() + "/faults", null, "{not json").status()).isEqualTo(400);
    }

    @Test
    void requestsAreCountedPerTenantAndEndpointAndResettable() {
        get(sim, WELL_RUN, "/users");
        get(sim, WELL_RUN, "/users");
        get(sim, WELL_RUN, "/identity/conditionalAccess/policies");
        get(sim, MESSY, "/organization");
        Http.post(sim, MESSY, "/$batch", "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/organization\"}]}");
        RequestCounters c = sim.counters();
        assertThat(c.forTenant(WELL_RUN, "users")).isEqualTo(2);
        assertThat(c.forTenant(WELL_RUN, "caPolicies")).isEqualTo(1);
        assertThat(c.forTenant(WELL_RUN)).isEqualTo(3);
        assertThat(c.byEndpoint(MESSY)).containsEntry("organization", 2L).containsEntry("batch", 1L).containsEntry("users", 1L);
        assertThat(c.total()).isEqualTo(7);
        JsonNode http = Http.get(sim.adminUrl() + "/counters?tenant=" + WELL_RUN, null).json();
        assertThat(http.at("/byEndpoint/users").asLong()).isEqualTo(2);
        JsonNode all = Http.get(sim.adminUrl() + "/counters", null).json();
        assertThat(all.get("total").asLong()).isEqualTo(7);
        assertThat(all.at("/byTenant/" + MESSY + "/batch").asLong()).isEqualTo(1);
        Http.method("DELETE", sim.adminUrl() + "/counters?tenant=" + WELL_RUN, null, null);
        assertThat(c.forTenant(WELL_RUN)).isZero();
        assertThat(c.forTenant(MESSY)).isEqualTo(4);
        c.reset();
        assertThat(c.total()).isZero();
        // unauthenticated requests are counted too
        Http.get(sim.graphBaseUrl() + "/users", null);
        assertThat(c.forTenant(RequestCounters.UNKNOWN_TENANT, "users")).isEqualTo(1);
    }

    @Test
    void adminApiDescribesTheSimulatorAndItsTenants() {
        JsonNode info = Http.get(sim.adminUrl(), null).json();
        assertThat(info.get("graphBaseUrl").asText()).isEqualTo(sim.graphBaseUrl());
        assertThat(info.get("authorityUrl").asText()).isEqualTo(sim.authorityUrl());
        assertThat(info.get("trustStorePath").asText()).isEqualTo(sim.trustStorePath().toString());
        JsonNode tenants = Http.get(sim.adminUrl() + "/tenants", null).json();
        assertThat(tenants.get("count").asInt()).isEqualTo(DemoTenants.IDS.size()); // the four demo tenants
        assertThat(tenants.at("/tenants/0/clientId").asText()).isEqualTo(sim.credentials(WELL_RUN).clientId());
        assertThat(tenants.at("/tenants/0/simulatorClientSecret").asText()).startsWith("sim-secret-");
        assertThat(Http.get(sim.adminUrl() + "/tenants/nope", null).status()).isEqualTo(404);
        assertThat(Http.get(sim.adminUrl() + "/health", null).json().get("status").asText()).isEqualTo("UP");
        assertThat(sim.tenantsFile()).exists();
    }
}
