package io.mfagov.register;

import io.mfagov.devstack.testing.PackagedService;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ScanStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    private static final String POLICY = "77777777-2222-3333-4444-555555555555";

    private final List<PackagedService> services = new ArrayList<>();

    @AfterEach
    void stop() {
        services.forEach(PackagedService::close);
    }

    @Test
    void anAlertCommittedButNotYetSentWhenTheProcessIsKilledIsPublishedOnceByTheNextProcess() throws Exception {
        String database = PostgresTestResource.createFreshDatabase();
        String tenant = newTenant();

        // Process A: reconciles, its relay off, as if it crashed between the commit and the send.
        PackagedService a = start("register-a", database, false);
        admin().baseUri(a.url()).body(Map.of("tenantId", tenant, "displayName", "Crash Co"))
                .post("/api/v1/tenants").then().statusCode(201);
        UUID scan = UUID.randomUUID();
        send(user(scan, tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));
        send(completed(scan, tenant, ScanStatus.COMPLETE, 1, Instant.now().minusSeconds(1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> unsentAlerts(database, tenant) == 1);

        a.kill(); // SIGKILL: no shutdown hook, nothing flushed
        assertThat(alertsOnKafka(tenant, Duration.ofSeconds(3))).as("nothing was sent before the crash").isEmpty();

        // Process B: a new JVM on the same database, its relay on.
        start("register-b", database, true);
        await().atMost(Duration.ofSeconds(60)).until(() -> unsentAlerts(database, tenant) == 0);
        List<AlertRaised> published = alertsOnKafka(tenant, Duration.ofSeconds(5));
        assertThat(published).as("published once, after the crash").hasSize(1);
        assertThat(published.get(0).kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION);
        assertThat(count(database, "select count(*) from outbox where message_key = ? and event_type = 'AlertRaised'", tenant))
                .as("the crash neither lost nor invented an alert").isEqualTo(1);
    }

    private PackagedService start(String name, String database, boolean relay) throws IOException {
        PackagedService service = PackagedService.start(name, database, Map.of(
                "register.outbox.relay-enabled", Boolean.toString(relay),
                "register.scheduler.enabled", "false",
                // notice the killed member quickly (the broker's minimum session timeout)
                "mp.messaging.incoming.scan-results.session.timeout.ms", "6000",
                "mp.messaging.incoming.scan-results.heartbeat.interval.ms", "1000"), Map.of());
        services.add(service);
        return service;
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
}
