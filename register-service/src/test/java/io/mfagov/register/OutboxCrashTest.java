package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ScanStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.mfagov.register.RegisterTestSupport.admin;
import static io.mfagov.register.RegisterTestSupport.completed;
import static io.mfagov.register.RegisterTestSupport.kafka;
import static io.mfagov.register.RegisterTestSupport.newTenant;
import static io.mfagov.register.RegisterTestSupport.send;
import static io.mfagov.register.RegisterTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox across a real crash. The packaged register ({@code target/quarkus-app/quarkus-run.jar})
 * runs as a child process against the real broker and PostgreSQL: process A reconciles a new exclusion (the
 * exclusion and its UNAPPROVED_EXCLUSION alert commit together) with its relay off, so the alert is committed but
 * not sent, and is then killed with SIGKILL. Process B, a new JVM on the same database, publishes the alert, once.
 *
 * <p>Tagged {@code process}: runs after packaging, in the {@code integration-test} phase of {@code verify}.
 */
@Tag("process")
class OutboxCrashTest {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "outbox-crash");
    private static final String POLICY = "77777777-2222-3333-4444-555555555555";

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void anAlertCommittedButNotYetSentWhenTheProcessIsKilledIsPublishedOnceByTheNextProcess() throws Exception {
        assertThat(JAR).as("packaged application (runs in the integration-test phase)").exists();
        String database = PostgresTestResource.createFreshDatabase();
        String tenant = newTenant();

        // Process A: reconciles, its relay off, as if it crashed between the commit and the send.
        int portA = freePort();
        Process a = start("a", portA, database, false);
        awaitReady(portA);
        admin().baseUri("http://127.0.0.1:" + portA).body(Map.of("tenantId", tenant, "displayName", "Crash Co"))
                .post("/api/v1/tenants").then().statusCode(201);
        UUID scan = UUID.randomUUID();
        send(user(scan, tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 1, Instant.now().minusSeconds(1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> unsentAlerts(database, tenant) == 1);

        a.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(alertsOnKafka(tenant, Duration.ofSeconds(3))).as("nothing was sent before the crash").isEmpty();

        // Process B: a new JVM on the same database, its relay on.
        int portB = freePort();
        start("b", portB, database, true);
        awaitReady(portB);
        await().atMost(Duration.ofSeconds(60)).until(() -> unsentAlerts(database, tenant) == 0);
        List<AlertRaised> published = alertsOnKafka(tenant, Duration.ofSeconds(5));
        assertThat(published).as("published once, after the crash").hasSize(1);
        assertThat(published.get(0).kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION);
        assertThat(count(database, "select count(*) from outbox where message_key = ? and event_type = 'AlertRaised'", tenant))
                .as("the crash neither lost nor invented an alert").isEqualTo(1);
    }

    private Process start(String name, int port, String database, boolean relay) throws IOException {
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve("register-" + name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m",
                "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dkafka.bootstrap.servers=" + KafkaTestResource.bootstrapServers(),
                "-Dquarkus.datasource.jdbc.url=" + PostgresTestResource.jdbcUrl(database),
                "-Dquarkus.datasource.username=" + PostgresTestResource.username(),
                "-Dregister.outbox.relay-enabled=" + relay,
                "-Dregister.scheduler.enabled=false",
                // Notice the killed member quickly (the broker's minimum session timeout).
                "-Dmp.messaging.incoming.scan-results.session.timeout.ms=6000",
                "-Dmp.messaging.incoming.scan-results.heartbeat.interval.ms=1000",
                "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_PASSWORD", PostgresTestResource.password());
        // trust the test's token issuer: public key, issuer and audience, as environment variables
        new TestTokens().start().forEach((key, value) ->
                env.put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static List<AlertRaised> alertsOnKafka(String tenant, Duration window) {
        return kafka().readUntil(Topics.ALERTS, window, records -> false).stream()
                .filter(r -> tenant.equals(r.key()))
                .map(r -> io.mfagov.model.EventCodec.get().decode(r.value(), AlertRaised.class).payload())
                .toList();
    }

    private static long unsentAlerts(String database, String tenant) throws SQLException {
        return count(database, "select count(*) from outbox where message_key = ? and event_type = 'AlertRaised'"
                + " and sent_at is null", tenant);
    }

    private static long count(String database, String sql, String tenant) throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresTestResource.jdbcUrl(database),
                PostgresTestResource.username(), PostgresTestResource.password());
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
