package io.mfagov.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PackagedService;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.testing.OnboardingFixture;
import io.mfagov.graphsim.testing.SelfSignedCertificate;
import io.mfagov.graphsim.testing.ServiceAccountTokenIssuer;
import io.mfagov.model.EventCodec;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mfagov.system.RegisterClient.JSON;
import static io.mfagov.system.RegisterClient.admin;
import static io.mfagov.system.RegisterClient.body;
import static io.mfagov.system.RegisterClient.expect;
import static io.mfagov.system.RegisterClient.reader;
import static io.mfagov.system.RegisterClient.texts;
import static io.mfagov.graphsim.testing.OnboardingFixture.ACTIVE;
import static io.mfagov.graphsim.testing.OnboardingFixture.CERTIFICATE_ONLY;
import static io.mfagov.graphsim.testing.OnboardingFixture.CONTRACT_ONLY;
import static io.mfagov.graphsim.testing.OnboardingFixture.ENDED;
import static io.mfagov.graphsim.testing.OnboardingFixture.EXPIRING;
import static io.mfagov.graphsim.testing.OnboardingFixture.MISSING_PERMISSION;
import static io.mfagov.graphsim.testing.OnboardingFixture.MSP_APP_ID;
import static io.mfagov.graphsim.testing.OnboardingFixture.NO_CONSENT;
import static io.mfagov.graphsim.testing.OnboardingFixture.PARTNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Onboarding end to end, every part real: the packaged register and scanner as child processes, one embedded Kafka
 * broker, PostgreSQL, and the Graph simulator serving a partner tenant and seven customers, reached by the real Graph
 * SDK with tokens from the real azure-identity — no static token, no client secret for the default credential set
 * (a federated service-account token file, as workload identity federation on Kubernetes gives it).
 *
 * <p>The customers come from discovery (contracts and GDAP), are registered disabled, and an ended relationship is
 * alerted; enabled and scanned, each access problem (no consent, a permission missing, a rejected credential) is
 * reported with its own reason, consent URL and permissions while the others scan COMPLETE through three kinds of
 * credential chosen by their {@code credentialRef}; a rotated secret file takes effect without a restart; and no secret,
 * key or token appears in either service's log.
 */
class OnboardingEndToEndTest {

    private static final Path REGISTER = Path.of("..", "register-service", "target", "quarkus-app", "quarkus-run.jar");
    private static final Path SCANNER = Path.of("..", "scanner-service", "target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "process-logs");
    private static final String SCANNER_LOG = "scanner-onboarding";
    private static final String REGISTER_LOG = "register-onboarding";
    /** SIMULATOR-ONLY secrets, generated per run: they must never reach a log. */
    private static final String ROTATED_SECRET = "rotated-" + UUID.randomUUID();

    private static GraphSimulator sim;
    private static final List<PackagedService> services = new ArrayList<>();
    private static RegisterClient client;
    private static Path secretFile;
    private static Path tokenFile;
    private static SelfSignedCertificate certificate;
    private static final List<AlertRaised> alerts = new CopyOnWriteArrayList<>();
    private static Thread alertReader;
    private static volatile boolean stopping;
    private static boolean discovered;

    @BeforeAll
    static void startTheProduct() throws IOException {
        RegisterClient.createTopics();
        Path dir = Files.createDirectories(Path.of("target", "onboarding-e2e"));
        ServiceAccountTokenIssuer cluster = ServiceAccountTokenIssuer.create(OnboardingFixture.FEDERATED_ISSUER);
        tokenFile = cluster.writeToken(dir.resolve("azure-identity-token"), OnboardingFixture.FEDERATED_SUBJECT);
        certificate = SelfSignedCertificate.create("CN=mfagov-onboarding-e2e");
        Path pem = certificate.writePem(dir.resolve("certificate-app.pem"));
        secretFile = Files.writeString(dir.resolve("client-secret"), OnboardingFixture.MSP_APP_SECRET);
        sim = GraphSimulator.start(OnboardingFixture.configure(SimulatorConfig.builder())
                .trustedIssuer(cluster.issuer(), cluster.publicKey())
                .staticTokens(false)
                .dataDir(Path.of("target", "graph-simulator-onboarding"))
                .build());
        sim.admin().addCertificate(OnboardingFixture.CERT_APP_ID, certificate.certificate());

        Map<String, String> scanner = new LinkedHashMap<>();
        scanner.put("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers());
        scanner.put("javax.net.ssl.trustStore", sim.trustStorePath().toString());
        scanner.put("javax.net.ssl.trustStorePassword", sim.trustStorePassword());
        scanner.put("javax.net.ssl.trustStoreType", "PKCS12");
        scanner.put("mfagov.graph.base-url", sim.graphBaseUrl());
        scanner.put("mfagov.graph.authority-host", sim.authorityUrl());
        scanner.put("mfagov.graph.ca-interval", "50ms");
        scanner.put("mfagov.graph.retry-base-delay", "50ms");
        // the default set: workload identity federation, no secret at all
        scanner.put("mfagov.graph.client-id", MSP_APP_ID);
        scanner.put("mfagov.graph.federated-token-file", tokenFile.toString());
        // named sets chosen by a tenant's credentialRef
        scanner.put("mfagov.graph.credentials.\"certificate\".client-id", OnboardingFixture.CERT_APP_ID);
        scanner.put("mfagov.graph.credentials.\"certificate\".certificate-path", pem.toString());
        scanner.put("mfagov.graph.credentials.\"secret-file\".client-id", MSP_APP_ID);
        scanner.put("mfagov.graph.credentials.\"secret-file\".client-secret-file", secretFile.toString());
        scanner.put("mfagov.graph.credentials.\"expired\".client-id", MSP_APP_ID);
        scanner.put("mfagov.graph.credentials.\"expired\".client-secret", OnboardingFixture.MSP_APP_EXPIRED_SECRET);
        services.add(PackagedService.start(SCANNER, SCANNER_LOG, PostgresTestResource.createFreshDatabase(), scanner,
                Map.of()));
        PackagedService register = PackagedService.start(REGISTER, REGISTER_LOG, PostgresTestResource.createFreshDatabase(),
                Map.of("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers(),
                        "register.scheduler.enabled", "false",
                        "register.discovery.partner-tenant-id", PARTNER,
                        "register.discovery.scheduled", "false"),
                Map.of());
        services.add(register);
        client = new RegisterClient(register);
        alertReader = new Thread(OnboardingEndToEndTest::readAlerts, "alerts-reader");
        alertReader.setDaemon(true);
        alertReader.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stopping = true;
        if (alertReader != null) {
            alertReader.join(10_000);
        }
        services.forEach(PackagedService::close);
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void customersAreDiscoveredFromThePartnerTenantRegisteredDisabledAndAnEndedRelationshipIsAlerted() throws Exception {
        discover();

        // (the broker is shared with the other end-to-end tests: their tenants may be in this register too)
        List<JsonNode> customers = new ArrayList<>();
        client.get("/api/v1/tenants?discovered=true").forEach(t -> {
            if (PARTNER.equals(t.at("/relationship/partnerTenantId").asText())) {
                customers.add(t);
            }
        });
        assertThat(customers).extracting(t -> t.path("tenantId").asText())
                .containsExactlyInAnyOrderElementsOf(OnboardingFixture.CUSTOMERS);
        customers.forEach(t -> assertThat(t.path("enabled").asBoolean()).as("%s proposed, not scanned", t).isFalse());
        // the name comes from the customer's own organization read, not the contract's copy
        JsonNode active = client.get("/api/v1/tenants/" + ACTIVE);
        assertThat(active.path("displayName").asText()).isEqualTo("Alpine Ski House");
        assertThat(active.at("/relationship/source").asText()).isEqualTo("ORGANIZATION");
        assertThat(active.at("/relationship/status").asText()).isEqualTo("ACTIVE");
        assertThat(client.get("/api/v1/tenants/" + ENDED).at("/relationship/status").asText()).isEqualTo("ENDED");
        assertThat(client.get("/api/v1/tenants/" + EXPIRING).at("/relationship/status").asText()).isEqualTo("EXPIRING");
        assertThat(client.get("/api/v1/tenants/" + NO_CONSENT).at("/access/status").asText()).isEqualTo("NO_CONSENT");

        // the ended relationship and the expiring one are alerted, each once; every new customer once
        await().atMost(Duration.ofSeconds(30)).until(() -> alertsOf(AlertKind.RELATIONSHIP_ENDED, ENDED).size() == 1
                && alertsOf(AlertKind.RELATIONSHIP_EXPIRING, EXPIRING).size() == 1
                && OnboardingFixture.CUSTOMERS.stream().allMatch(c -> alertsOf(AlertKind.TENANT_DISCOVERED, c).size() == 1));
        assertThat(alerts.stream().filter(a -> a.kind() == AlertKind.RELATIONSHIP_ENDED).map(AlertRaised::tenantId))
                .containsExactly(ENDED);

        RegisterClient.Cli runs = client.cli(reader(), "discovery", "runs");
        assertThat(runs.exit()).as(runs.err()).isZero();
        JsonNode latest = JSON.readTree(runs.out()).get(0);
        assertThat(latest.path("status").asText()).isEqualTo("COMPLETE");
        assertThat(latest.path("customers").asInt()).isEqualTo(OnboardingFixture.CUSTOMERS.size());
        assertNoSecretInTheLogs();
    }

    @Test
    void eachAccessProblemIsReportedWithItsReasonWhileTheOtherTenantsScanCompleteWithTheirCredentialSets() throws Exception {
        discover();
        // the default set (federated token file), a certificate, a secret file; no consent, a permission missing, an
        // expired secret
        Map<String, String> credentialRefs = new LinkedHashMap<>();
        credentialRefs.put(ACTIVE, null);
        credentialRefs.put(CERTIFICATE_ONLY, "certificate");
        credentialRefs.put(EXPIRING, "secret-file");
        credentialRefs.put(NO_CONSENT, null);
        credentialRefs.put(MISSING_PERMISSION, null);
        credentialRefs.put(CONTRACT_ONLY, "expired");
        Map<String, Instant> requested = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : credentialRefs.entrySet()) {
            enable(e.getKey(), e.getValue());
            requested.put(e.getKey(), scan(e.getKey()));
        }
        requested.forEach(OnboardingEndToEndTest::awaitScanFinished);

        for (String complete : List.of(ACTIVE, CERTIFICATE_ONLY, EXPIRING)) {
            JsonNode t = client.get("/api/v1/tenants/" + complete);
            assertThat(t.path("lastScanStatus").asText()).as("%s", t).isEqualTo("COMPLETE");
            assertThat(t.at("/access/status").asText()).as("%s", t).isEqualTo("OK");
        }
        JsonNode noConsent = client.get("/api/v1/tenants/" + NO_CONSENT);
        assertThat(noConsent.path("lastScanStatus").asText()).isEqualTo("FAILED");
        assertThat(noConsent.at("/access/status").asText()).isEqualTo("NO_CONSENT");
        assertThat(noConsent.at("/access/consentUrl").asText())
                .contains("/" + NO_CONSENT + "/v2.0/adminconsent?client_id=" + MSP_APP_ID)
                .contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        JsonNode missing = client.get("/api/v1/tenants/" + MISSING_PERMISSION);
        assertThat(missing.path("lastScanStatus").asText()).isEqualTo("FAILED");
        assertThat(missing.at("/access/status").asText()).isEqualTo("MISSING_PERMISSIONS");
        assertThat(texts(missing.at("/access/missingPermissions"))).contains("Policy.Read.All");
        assertThat(missing.at("/access/consentUrl").asText()).contains("/" + MISSING_PERMISSION + "/v2.0/adminconsent");
        JsonNode rejected = client.get("/api/v1/tenants/" + CONTRACT_ONLY);
        assertThat(rejected.path("lastScanStatus").asText()).isEqualTo("FAILED");
        assertThat(rejected.at("/access/status").asText()).isEqualTo("CREDENTIALS_REJECTED");
        assertThat(rejected.at("/access/detail").asText()).contains("AADSTS7000222");

        // the consent worklist from the CLI: the CSV names the tenant, its consent URL and what to do
        RegisterClient.Cli worklist = client.cli(reader(), "tenants", "list", "--access", "NO_CONSENT");
        assertThat(worklist.exit()).as(worklist.err()).isZero();
        assertThat(worklist.out()).startsWith("TenantId,").contains(NO_CONSENT).contains("adminconsent?client_id=" + MSP_APP_ID)
                .doesNotContain(ACTIVE);
        // one ACCESS_PROBLEM alert per broken tenant, with the consent URL as its action
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(NO_CONSENT, MISSING_PERMISSION, CONTRACT_ONLY).stream()
                .allMatch(t -> alertsOf(AlertKind.ACCESS_PROBLEM, t).size() == 1));
        assertThat(alertsOf(AlertKind.ACCESS_PROBLEM, NO_CONSENT).get(0).links())
                .anySatisfy(l -> assertThat(l.url()).contains("/" + NO_CONSENT + "/v2.0/adminconsent"));
        assertThat(List.of(ACTIVE, CERTIFICATE_ONLY, EXPIRING)).allMatch(t -> alertsOf(AlertKind.ACCESS_PROBLEM, t).isEmpty());

        // the secret is rotated: the new one is mounted, the old one deleted from the app; no restart
        sim.admin().addSecret(MSP_APP_ID, ROTATED_SECRET, null);
        Files.writeString(secretFile, ROTATED_SECRET);
        sim.admin().removeSecret(MSP_APP_ID, OnboardingFixture.MSP_APP_SECRET);
        awaitScanFinished(EXPIRING, scan(EXPIRING));
        assertThat(client.get("/api/v1/tenants/" + EXPIRING).path("lastScanStatus").asText()).isEqualTo("COMPLETE");
        assertNoSecretInTheLogs();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** One discovery for the class (tests run in any order), awaited until the register closed its run. */
    private static synchronized void discover() throws Exception {
        if (discovered) {
            return;
        }
        RegisterClient.Cli run = client.cli(admin(), "tenants", "discover");
        assertThat(run.exit()).as(run.err()).isZero();
        String requestId = JSON.readTree(run.out()).path("requestId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                "COMPLETE".equals(client.get("/api/v1/discovery/runs/" + requestId).path("status").asText()));
        discovered = true;
    }

    private static void enable(String tenantId, String credentialRef) throws Exception {
        JsonNode current = client.get("/api/v1/tenants/" + tenantId);
        ObjectNode input = JSON.createObjectNode().put("displayName", current.path("displayName").asText())
                .put("enabled", true).put("credentialRef", credentialRef);
        expect(client.call("PUT", "/api/v1/tenants/" + tenantId, input, admin()), 200);
    }

    private static Instant scan(String tenantId) throws Exception {
        Instant before = Instant.now();
        expect(client.call("POST", "/api/v1/tenants/" + tenantId + "/scans", null, admin()), 202);
        return before;
    }

    private static void awaitScanFinished(String tenantId, Instant after) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String finished = client.get("/api/v1/tenants/" + tenantId).path("lastScanFinishedAt").asText(null);
            return finished != null && Instant.parse(finished).isAfter(after);
        });
    }

    private static List<AlertRaised> alertsOf(AlertKind kind, String tenantId) {
        return alerts.stream().filter(a -> a.kind() == kind && a.tenantId().equals(tenantId)).toList();
    }

    /** Every alert the register publishes, deduplicated by alert id (the outbox may deliver one twice). */
    private static void readAlerts() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "onboarding-e2e-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS));
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (!stopping) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                    AlertRaised alert = EventCodec.get().decode(r.value(), AlertRaised.class).payload();
                    if (seen.add(alert.alertId())) {
                        alerts.add(alert);
                    }
                }
            }
        }
    }

    /** Neither service logged a secret, a private key, a federated assertion or an access token. */
    private static void assertNoSecretInTheLogs() throws IOException {
        String token = Files.readString(tokenFile).trim();
        String keyLine = certificate.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        for (String name : List.of(SCANNER_LOG, REGISTER_LOG)) {
            String log = Files.readString(LOGS.resolve(name + ".log"));
            assertThat(log).as("%s log", name).isNotBlank()
                    .doesNotContain(OnboardingFixture.MSP_APP_SECRET)
                    .doesNotContain(OnboardingFixture.MSP_APP_EXPIRED_SECRET)
                    .doesNotContain(ROTATED_SECRET)
                    .doesNotContain(token)
                    .doesNotContain(keyLine)
                    // every JWT (access tokens, assertions) starts with the base64url of '{"'
                    .doesNotContain("eyJ");
        }
    }
}
