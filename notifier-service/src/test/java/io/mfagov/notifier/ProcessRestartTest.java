package io.mfagov.notifier;

import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.notifier.support.RecordingSink;
import io.mfagov.devstack.testing.PackagedService;
import io.mfagov.notifier.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A genuinely new notifier process takes over after a crash. Runs the packaged application
 * ({@code target/quarkus-app/quarkus-run.jar}) as child processes against the real broker and one PostgreSQL
 * database: process A delivers, then is killed (SIGKILL: no shutdown, no offset commit, rows possibly
 * leased mid-request) while alerts are pending; process B, a new JVM, takes over.
 *
 * <p>Tagged {@code process}: runs after packaging, in the {@code integration-test} phase of {@code verify}.
 */
@Tag("process")
class ProcessRestartTest {


    private final List<PackagedService> services = new ArrayList<>();
    private final RecordingSink sink = RecordingSink.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        services.forEach(PackagedService::close);
        sink.close();
    }

    @Test
    void aNewProcessAfterACrashNeverResendsWhatWasDeliveredAndDeliversWhatWasPendingOnce() throws Exception {
        String database = PostgresTestResource.createFreshDatabase();
        String aesKey = randomKey();
        String tenant = UUID.randomUUID().toString();

        try (KafkaTestClient kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers())) {
            // Process A: delivers a first batch.
            PackagedService a = start("notifier-a", database, aesKey);
            createWebhook(a.url(), tenant, sink.url("/psa"));
            List<AlertRaised> delivered = alerts(tenant, 10);
            delivered.forEach(alert -> publish(kafka, alert));
            delivered.forEach(alert -> await().atMost(Duration.ofSeconds(60))
                    .until(() -> "DELIVERED".equals(status(database, alert.alertId()))));

            // The destination fails: the next batch is taken in and tried, but stays pending.
            sink.answerByDefault(RecordingSink.Answer.status(503));
            List<AlertRaised> pending = alerts(tenant, 10);
            pending.forEach(alert -> publish(kafka, alert));
            await().atMost(Duration.ofSeconds(60)).until(() -> pending.stream()
                    .allMatch(alert -> attempts(database, alert.alertId()) >= 2));

            // Crash: SIGKILL, mid-retry. Nothing is shut down cleanly, Kafka offsets are not committed.
            a.kill();
            int requestsBeforeRestart = sink.all().size();
            assertThat(sink.delivered()).as("before the crash: only the first batch delivered").hasSize(delivered.size());
            pending.forEach(alert -> assertThat(status(database, alert.alertId())).isEqualTo("PENDING"));

            // While no notifier runs: more alerts, and the destination recovers.
            List<AlertRaised> whileDown = alerts(tenant, 10);
            whileDown.forEach(alert -> publish(kafka, alert));
            delivered.forEach(alert -> publish(kafka, alert)); // and the first batch replayed
            sink.answerByDefault(RecordingSink.Answer.status(200));
            assertThat(sink.all()).hasSize(requestsBeforeRestart);

            // Process B: a new JVM on the same database and consumer group takes over.
            start("notifier-b", database, aesKey);
            List<AlertRaised> afterCrash = new ArrayList<>(pending);
            afterCrash.addAll(whileDown);
            await().atMost(Duration.ofSeconds(90)).until(() -> afterCrash.stream()
                    .allMatch(alert -> sink.deliveredMentioning(alert.alertId()) >= 1));
            Thread.sleep(3000); // room for a duplicate to show up, if there were one

            delivered.forEach(alert -> assertThat(sink.all().stream()
                    .filter(r -> r.bodyText().contains(alert.alertId())).count())
                    .as("delivered before the crash, never sent again: %s", alert.alertId()).isEqualTo(1));
            afterCrash.forEach(alert -> assertThat(sink.deliveredMentioning(alert.alertId()))
                    .as("pending at the crash or raised while down, delivered once: %s", alert.alertId()).isEqualTo(1));
            assertThat(sink.delivered()).hasSize(delivered.size() + afterCrash.size());
            assertThat(count(database, "select count(*) from received_alert")).isEqualTo(30);
            assertThat(count(database, "select count(*) from delivery where status = 'DELIVERED'")).isEqualTo(30);
        }
    }

    private PackagedService start(String name, String database, String aesKey) throws IOException {
        PackagedService service = PackagedService.start(name, database, Map.of(
                // A dead process's leased rows come back after connect + request timeout + this margin.
                "mfagov.notifier.delivery.lease-margin", "PT1S",
                // The test profile's 1 s request timeout is for tests of timeouts: on a loaded 2-core machine a
                // delivery the sink answered 200 could time out on the client and be sent again (at-least-once under
                // timeouts, which webhook receivers dedupe by event id). This test is about the crash, not timeouts.
                "mfagov.notifier.delivery.request-timeout", "PT10S",
                "mfagov.notifier.delivery.connect-timeout", "PT5S",
                // Never commit offsets on a timer: after the crash the new process re-reads every alert.
                "mp.messaging.incoming.alerts.auto.commit.interval.ms", "3600000",
                // Notice the killed member quickly (the broker's minimum session timeout).
                "mp.messaging.incoming.alerts.session.timeout.ms", "6000",
                "mp.messaging.incoming.alerts.heartbeat.interval.ms", "1000"),
                Map.of("MFAGOV_NOTIFIER_SECRET_KEY", aesKey));
        services.add(service);
        return service;
    }

    private void createWebhook(String base, String tenant, String url) throws Exception {
        String body = "{\"name\":\"PSA\",\"tenantId\":\"" + tenant + "\",\"type\":\"WEBHOOK\",\"url\":\"" + url + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create(base + "/api/v1/destinations"))
                        .header("Authorization", Tokens.admin()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static List<AlertRaised> alerts(String tenant, int n) {
        return IntStream.range(0, n).mapToObj(i -> NotifierTestBase.alert(tenant, AlertKind.UNAPPROVED_EXCLUSION,
                Severity.HIGH)).toList();
    }

    private static void publish(KafkaTestClient kafka, AlertRaised alert) {
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(alert, Instant.now())));
    }

    private static String status(String database, String alertId) {
        try (Connection c = connect(database);
             var st = c.prepareStatement("select status from delivery where alert_id = ?")) {
            st.setString(1, alertId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int attempts(String database, String alertId) {
        try (Connection c = connect(database);
             var st = c.prepareStatement("select attempts from delivery where alert_id = ?")) {
            st.setString(1, alertId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String database, String sql) throws SQLException {
        try (Connection c = connect(database); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(PostgresTestResource.jdbcUrl(database), PostgresTestResource.username(),
                PostgresTestResource.password());
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

}
