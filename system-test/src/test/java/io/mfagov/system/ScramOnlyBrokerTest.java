package io.mfagov.system;

import com.sun.net.httpserver.HttpServer;
import io.mfagov.devstack.EmbeddedKafka;
import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.PackagedService;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Topics;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Via;
import io.mfagov.model.kafka.EventRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The register and the notifier, each its packaged jar in its own process, on one broker that accepts only
 * SASL/SCRAM, configured the way a Strimzi {@code KafkaUser} or Event Hubs deployment configures them: the
 * {@code kafka.*} properties, the JAAS secret in the environment. Scan results go in, the register's outbox publishes
 * the alert, the notifier takes it in and delivers it; a bad record on each service's input is dead-lettered over
 * SCRAM with its reason while the good ones keep flowing.
 */
class ScramOnlyBrokerTest {

    private static final Path REGISTER = Path.of("..", "register-service", "target", "quarkus-app", "quarkus-run.jar");
    private static final Path NOTIFIER = Path.of("..", "notifier-service", "target", "quarkus-app", "quarkus-run.jar");

    private static EmbeddedKafka broker;
    private static KafkaTestClient kafka;
    private static HttpServer sink;
    private static final List<String> delivered = new CopyOnWriteArrayList<>();
    private static final List<PackagedService> services = new ArrayList<>();
    private static PackagedService notifier;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheProductOnAScramOnlyBroker() throws IOException {
        broker = EmbeddedKafka.builder()
                .dataDir(Files.createTempDirectory(Path.of("target"), "kafka-scram-").toAbsolutePath())
                .saslScram().deleteDataOnClose(true).start();
        broker.createTopics(3, Topics.SCAN_REQUESTS, Topics.SCAN_RESULTS, Topics.ALERTS,
                Topics.deadLetter(Topics.SCAN_REQUESTS), Topics.deadLetter(Topics.SCAN_RESULTS),
                Topics.deadLetter(Topics.ALERTS));
        kafka = new KafkaTestClient(broker.clientProperties());

        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/psa", exchange -> {
            delivered.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        sink.start();

        services.add(PackagedService.start(REGISTER, "register-scram", PostgresTestResource.createFreshDatabase(),
                kafkaProperties(Map.of("register.scheduler.enabled", "false")), kafkaSecret(Map.of())));
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        notifier = PackagedService.start(NOTIFIER, "notifier-scram", PostgresTestResource.createFreshDatabase(),
                kafkaProperties(Map.of()),
                kafkaSecret(Map.of("MFAGOV_NOTIFIER_SECRET_KEY", Base64.getEncoder().encodeToString(aes))));
        services.add(notifier);
    }

    @AfterAll
    static void stop() {
        services.forEach(PackagedService::close);
        if (sink != null) {
            sink.stop(0);
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anExclusionFoundByAScanReachesThePsaThroughRegisterAndNotifierOverScram() throws Exception {
        String tenant = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        createWebhook(tenant);

        UUID scan = UUID.randomUUID();
        Instant started = Instant.now();
        send(detection(scan, tenant, user));
        send(new ScanCompleted(scan, null, tenant, ScanStatus.COMPLETE, started, Instant.now(), 1, 1, null,
                List.of(), 1, false));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> delivered.stream().anyMatch(body -> body.contains(tenant) && body.contains(user)));
    }

    @Test
    void aBadRecordOnEitherServicesInputIsDeadLetteredOverScramAndTheNextStillFlows() throws Exception {
        String tenant = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        createWebhook(tenant);
        String badScanResult = "{\"eventType\":\"ScanCompleted\", not json " + UUID.randomUUID();
        String badAlert = "{\"eventType\":\"AlertRaised\", not json " + UUID.randomUUID();

        kafka.send(Topics.SCAN_RESULTS, tenant, badScanResult);
        kafka.send(Topics.ALERTS, tenant, badAlert);
        UUID scan = UUID.randomUUID();
        send(detection(scan, tenant, user));
        send(new ScanCompleted(scan, null, tenant, ScanStatus.COMPLETE, Instant.now(), Instant.now(), 1, 1, null,
                List.of(), 1, false));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> delivered.stream().anyMatch(body -> body.contains(tenant) && body.contains(user)));
        assertDeadLettered(Topics.SCAN_RESULTS, badScanResult);
        assertDeadLettered(Topics.ALERTS, badAlert);
    }

    @Test
    void theBrokerRefusesAClientThatDoesNotAuthenticate() {
        Map<String, Object> plaintext = Map.of("bootstrap.servers", broker.bootstrapServers(),
                "request.timeout.ms", 3_000, "default.api.timeout.ms", 5_000);
        try (Admin admin = Admin.create(plaintext)) {
            admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            throw new AssertionError("a plaintext client was answered by the SCRAM-only broker");
        } catch (ExecutionException | TimeoutException expected) {
            // refused: no answer without SCRAM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertDeadLettered(String topic, String value) {
        ConsumerRecord<String, String> dead = kafka.readUntil(Topics.deadLetter(topic), Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> value.equals(r.value())))
                .stream().filter(r -> value.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("not on " + Topics.deadLetter(topic) + ": " + value));
        assertThat(header(dead, "dead-letter-reason")).as("reason on " + topic).contains("not JSON");
        assertThat(header(dead, "dead-letter-topic")).isEqualTo(topic);
    }

    /** The non-secret SCRAM settings as system properties, as a deployment's config map would carry them. */
    private static Map<String, String> kafkaProperties(Map<String, String> extra) {
        Map<String, String> properties = new LinkedHashMap<>();
        broker.clientProperties().forEach((key, value) -> {
            if (!key.equals("sasl.jaas.config")) {
                properties.put("kafka." + key, value);
            }
        });
        properties.putAll(extra);
        return properties;
    }

    /** The JAAS line (it holds the password) only in the environment, as a deployment's Secret would carry it. */
    private static Map<String, String> kafkaSecret(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(extra);
        env.put("KAFKA_SASL_JAAS_CONFIG", broker.clientProperties().get("sasl.jaas.config"));
        return env;
    }

    private static ExclusionDetected detection(UUID scan, String tenant, String user) {
        return new ExclusionDetected(scan, tenant,
                new PolicyRef(UUID.randomUUID().toString(), "Require MFA for all users", PolicyState.ENABLED,
                        MfaRequirement.BUILT_IN_MFA, null),
                new Principal(user, PrincipalType.USER, "svc-" + user + "@contoso.example", "Legacy scanner",
                        "Member", true, true, null),
                Via.direct(user), Instant.now());
    }

    private static void send(EventPayload payload) {
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(payload, Instant.now())));
    }

    private static void createWebhook(String tenant) throws Exception {
        String body = "{\"name\":\"PSA " + tenant + "\",\"tenantId\":\"" + tenant + "\",\"type\":\"WEBHOOK\",\"url\":\""
                + "http://127.0.0.1:" + sink.getAddress().getPort() + "/psa\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(notifier.url() + "/api/v1/destinations"))
                        .header("Authorization", "Bearer " + TestTokens.token("alice.admin@msp.example", "admin"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
