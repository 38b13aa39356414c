package io.mfagov.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PackagedService;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.model.Change;
import io.mfagov.model.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.mfagov.system.RegisterClient.JSON;
import static io.mfagov.system.RegisterClient.admin;
import static io.mfagov.system.RegisterClient.approver;
import static io.mfagov.system.RegisterClient.body;
import static io.mfagov.system.RegisterClient.expect;
import static io.mfagov.system.RegisterClient.reader;
import static io.mfagov.system.RegisterClient.requester;
import static io.mfagov.system.RegisterClient.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lifecycle issue end to end, every part real: the packaged register and scanner as child processes, one embedded
 * Kafka broker, PostgreSQL, and the Graph simulator written to through the real Graph SDK over HTTP. An approved
 * exception for a directly excluded service account expires; the register's daily job (run every few seconds here)
 * plans its removal, the scanner answers the dry run with the PATCH body, a second person approves, the scanner writes
 * it and reads it back, and the next scan confirms that the exclusion is gone — while the break-glass account, excluded
 * from the same policy, stays.
 */
class LifecycleEndToEndTest {

    private static final Path REGISTER = Path.of("..", "register-service", "target", "quarkus-app", "quarkus-run.jar");
    private static final Path SCANNER = Path.of("..", "scanner-service", "target", "quarkus-app", "quarkus-run.jar");
    private static final String TENANT = "55555555-5555-4555-8555-000000000001";
    private static final String POLICY = "55555555-9999-4000-8000-000000000001";
    private static final String BREAK_GLASS = "55555555-aaaa-4000-8000-000000000001";
    private static final String LEGACY = "55555555-aaaa-4000-8000-000000000002";

    private static GraphSimulator sim;
    private static final List<PackagedService> services = new ArrayList<>();
    private static PackagedService register;
    private static RegisterClient client;

    @BeforeAll
    static void startTheProduct() throws IOException {
        RegisterClient.createTopics();
        sim = GraphSimulator.start(SimulatorConfig.builder()
                .fixtures(Path.of("src", "test", "resources", "lifecycle-tenants"))
                .dataDir(Path.of("target", "graph-simulator"))
                .build());
        services.add(PackagedService.start(SCANNER, "scanner-lifecycle", PostgresTestResource.createFreshDatabase(),
                Map.of("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers(),
                        "mfagov.graph.base-url", sim.graphBaseUrl(),
                        "mfagov.graph.static-token", "sim-static:{tenantId}"),
                Map.of()));
        register = PackagedService.start(REGISTER, "register-lifecycle", PostgresTestResource.createFreshDatabase(),
                Map.of("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers(),
                        "register.scheduler.enabled", "false",
                        "register.lifecycle.cron", "*/2 * * * * ?"),
                Map.of());
        services.add(register);
        client = new RegisterClient(register);
    }

    @AfterAll
    static void stop() {
        services.forEach(PackagedService::close);
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void anExpiredExceptionIsRemovedFromTheTenantAfterApprovalAndTheNextScanConfirmsIt() throws Exception {
        ObjectNode tenant = JSON.createObjectNode().put("tenantId", TENANT).put("displayName", "Lifecycle Ltd")
                .put("enforcementEnabled", true).put("enforcementGraceDays", 0);
        expect(client.call("POST", "/api/v1/tenants", tenant, admin()), 201);
        scanAndWait();
        // the break-glass account is approved for a year, the legacy account for a few seconds
        exception(BREAK_GLASS, "BREAK_GLASS", Instant.now().plus(Duration.ofDays(300)));
        exception(LEGACY, "LEGACY_APP", Instant.now().plusSeconds(20));
        // approved, and inside its expiry warning window from the start
        awaitExclusion(LEGACY, e -> e.path("status").asText().equals("EXPIRING") && e.hasNonNull("exceptionId"));

        // the exception expires; the daily job plans the removal; the scanner's dry run answers the PATCH body
        JsonNode planned = awaitRemediation(r -> r.path("status").asText().equals("PLANNED"));
        String id = planned.path("id").asText();
        JsonNode remediation = body(client.call("GET", "/api/v1/remediations/" + id, null, reader()));
        JsonNode patchUsers = remediation.at("/plan/patchBody/conditions/users");
        assertThat(texts(patchUsers.path("excludeUsers"))).containsExactly(BREAK_GLASS);
        assertThat(texts(patchUsers.path("includeUsers"))).containsExactly("All");
        assertThat(sim.admin().changes(TENANT)).as("a dry run writes nothing").isEmpty();

        // the CLI lists it; a requester may not approve it (exit 77); a second person approves it with the CLI
        RegisterClient.Cli list = client.cli(reader(), "remediations", "list", "--tenant", TENANT, "--status", "PLANNED");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).startsWith("TenantId,RemediationId,Status,").contains(id + ",PLANNED,EXPIRED,EXCLUDE_LIST");
        RegisterClient.Cli refused = client.cli(requester(), "remediations", "approve", id);
        assertThat(refused.exit()).isEqualTo(77);
        assertThat(refused.err()).contains("403");
        RegisterClient.Cli approved = client.cli(approver(), "remediations", "approve", id, "--notes", "expired \"legacy\" app, removing");
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(JSON.readTree(approved.out()).path("status").asText()).isEqualTo("APPLYING");
        JsonNode applied = awaitRemediation(r -> r.path("id").asText().equals(id)
                && r.path("status").asText().equals("APPLIED"));
        assertThat(applied.path("status").asText()).isEqualTo("APPLIED");
        List<Change> changes = sim.admin().changes(TENANT);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).kind()).isEqualTo(Change.POLICY_UPDATE);
        assertThat(changes.get(0).targetId()).isEqualTo(POLICY);
        assertThat(texts(changes.get(0).before().at("/conditions/users/excludeUsers"))).containsExactly(BREAK_GLASS, LEGACY);
        assertThat(texts(changes.get(0).after().at("/conditions/users/excludeUsers"))).containsExactly(BREAK_GLASS);

        // the next scan no longer sees the exclusion: confirmed
        scanAndWait();
        awaitRemediation(r -> r.path("id").asText().equals(id) && r.path("status").asText().equals("CONFIRMED"));
        JsonNode audit = body(client.call("GET", "/api/v1/audit/events?tenantId=" + TENANT + "&limit=500", null, reader()));
        assertThat(audit.toString()).contains("REMEDIATION_APPLIED", "REMEDIATION_CONFIRMED");
    }

    @Test
    void theCliRefusesBadUsageWithExitCode64AndNeverCallsTheRegister() throws Exception {
        RegisterClient.Cli noId = client.cli(approver(), "remediations", "approve");
        assertThat(noId.exit()).isEqualTo(64);
        assertThat(noId.err()).contains("needs the remediation id");
        RegisterClient.Cli notGuid = client.cli(approver(), "remediations", "approve", "../tenants");
        assertThat(notGuid.exit()).isEqualTo(64);
        assertThat(notGuid.err()).contains("must be a GUID");
        RegisterClient.Cli unknown = client.cli(approver(), "remediations", "delete", TENANT);
        assertThat(unknown.exit()).isEqualTo(64);
        RegisterClient.Cli noReason = client.cli(approver(), "remediations", "reject", TENANT);
        assertThat(noReason.exit()).isEqualTo(64);
        RegisterClient.Cli missing = client.cli(reader(), "remediations", "show", "00000000-0000-4000-8000-000000000000");
        assertThat(missing.exit()).as("a refusal by the register").isEqualTo(65);
        assertThat(missing.err()).contains("404");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static void exception(String principal, String category, Instant expiresAt) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("tenantId", TENANT).put("policyId", POLICY)
                .put("category", category).put("justification", "end-to-end test " + category)
                .put("expiresAt", expiresAt.toString()).put("ticketRef", "T-1");
        request.putArray("principals").addObject().put("id", principal).put("type", "USER");
        JsonNode created = body(expect(client.call("POST", "/api/v1/exceptions", request, requester()), 201));
        expect(client.call("POST", "/api/v1/exceptions/" + created.path("id").asText() + "/approve",
                JSON.createObjectNode().put("notes", "ok"), category.equals("BREAK_GLASS") ? admin() : approver()), 200);
    }

    private static void scanAndWait() throws Exception {
        Instant before = Instant.now();
        expect(client.call("POST", "/api/v1/tenants/" + TENANT + "/scans", null, admin()), 202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode t = body(client.call("GET", "/api/v1/tenants/" + TENANT, null, reader()));
            String finished = t.path("lastScanFinishedAt").asText(null);
            return finished != null && Instant.parse(finished).isAfter(before)
                    && "COMPLETE".equals(t.path("lastScanStatus").asText());
        });
    }

    private static void awaitExclusion(String principal, Predicate<JsonNode> condition) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode page = body(client.call("GET", "/api/v1/exclusions?tenantId=" + TENANT + "&principalId=" + principal,
                    null, reader()));
            for (JsonNode e : page.path("items")) {
                if (condition.test(e)) {
                    return true;
                }
            }
            return false;
        });
    }

    private static JsonNode awaitRemediation(Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode list = body(client.call("GET", "/api/v1/tenants/" + TENANT + "/remediations", null, reader()));
            JsonNode items = list.isArray() ? list : list.path("items");
            for (JsonNode r : items) {
                if (condition.test(r)) {
                    found[0] = r;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
