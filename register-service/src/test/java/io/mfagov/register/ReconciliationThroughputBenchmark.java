package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ScanStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.completed;
import static io.mfagov.register.RegisterTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation throughput (not a timed test; run with -Dbench): ExclusionDetected records produced to the real
 * broker as fast as the producer goes, consumed by the service (batches) into the real PostgreSQL. First pass: every
 * detection is new (upsert + audit row + UNAPPROVED alert in the outbox each); second pass: the same exclusions seen
 * again by new scans (steady state: upsert only).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
@Tag("benchmark")
class ReconciliationThroughputBenchmark {

    static final int DETECTIONS = Integer.getInteger("bench.detections", 100_000);
    static final int TENANTS = Integer.getInteger("bench.tenants", 20);

    @Test
    void detectionsPerSecondThroughTheBrokerIntoPostgres() throws Exception {
        List<String> tenants = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            tenants.add(UUID.randomUUID().toString());
        }
        for (int i = 0; i < DETECTIONS; i++) {
            users.add(UUID.randomUUID().toString());
        }
        try (KafkaProducer<String, String> producer = Bench.producer(); Connection db = Bench.db()) {
            // Warm-up: a small scan, so the consumer, JIT and connections are ready.
            run(producer, db, List.of(UUID.randomUUID().toString()), users.subList(0, 2_000), "warm-up", false);
            run(producer, db, tenants, users, "new exclusions (each: upsert, audit row, UNAPPROVED alert)", true);
            run(producer, db, tenants, users, "known exclusions seen again by new scans (upsert only)", true);
        }
    }

    private void run(KafkaProducer<String, String> producer, Connection db, List<String> tenants, List<String> users,
            String name, boolean report) throws Exception {
        int n = users.size();
        List<UUID> scans = tenants.stream().map(t -> UUID.randomUUID()).toList();
        Instant started = Instant.now();
        List<EventEnvelope<?>> detections = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int t = i % tenants.size();
            ExclusionDetected d = user(scans.get(t), tenants.get(t), "policy-" + (i % 5), users.get(i), Instant.now());
            detections.add(EventEnvelope.wrap(d, Instant.now()));
        }
        List<ProducerRecord<String, String>> records = Bench.records(detections);
        String[] tenantArray = tenants.toArray(String[]::new);

        java.sql.Timestamp since = java.sql.Timestamp.from(Instant.now());
        long t0 = System.nanoTime();
        Bench.sendAll(producer, records);
        long sent = System.nanoTime();
        long processed;
        long deadline = System.nanoTime() + 600_000_000_000L;
        do {
            Bench.sleep(200);
            processed = count(db, tenantArray, since, "select count(*) from processed_event where tenant_id = any(?)"
                    + " and processed_at >= ?");
        } while (processed < n && System.nanoTime() < deadline);
        long done = System.nanoTime();
        assertThat(processed).isEqualTo(n);

        double window;
        try (PreparedStatement ps = db.prepareStatement("select extract(epoch from max(processed_at) - min(processed_at))"
                + " from processed_event where tenant_id = any(?) and processed_at >= ?")) {
            ps.setArray(1, db.createArrayOf("varchar", tenantArray));
            ps.setTimestamp(2, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                window = rs.getDouble(1);
            }
        }
        // Close the scans (each COMPLETE with its count): every scan must be swept with nothing removed.
        List<EventEnvelope<?>> closing = new ArrayList<>();
        for (int t = 0; t < tenants.size(); t++) {
            int count = (n - t + tenants.size() - 1) / tenants.size();
            closing.add(EventEnvelope.wrap(completed(scans.get(t), tenants.get(t), ScanStatus.COMPLETE, count,
                    started.minusSeconds(1)), Instant.now()));
        }
        Bench.sendAll(producer, Bench.records(closing));
        String[] scanArray = scans.stream().map(UUID::toString).toArray(String[]::new);
        long swept;
        do {
            Bench.sleep(200);
            try (PreparedStatement ps = db.prepareStatement(
                    "select count(*) from scan where scan_id = any(?::uuid[]) and reconciliation = 'SWEPT'")) {
                ps.setArray(1, db.createArrayOf("varchar", scanArray));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    swept = rs.getLong(1);
                }
            }
        } while (swept < scans.size() && System.nanoTime() < deadline);
        assertThat(swept).isEqualTo(scans.size());
        long present = count(db, tenantArray, null, "select count(*) from exclusion where tenant_id = any(?) and removed_at is null");
        assertThat(present).isEqualTo(users.size());

        if (report) {
            double endToEnd = n / ((done - t0) / 1e9);
            Bench.report(String.format("reconciliation, %s: %,d ExclusionDetected over %d tenants;"
                            + " end to end (first send -> last commit seen, 200 ms polling) %,.0f/s in %.1f s;"
                            + " consumer (first to last processed_at) %,.0f/s; producer alone %.1f s [%s]",
                    name, n, tenants.size(), endToEnd, (done - t0) / 1e9, n / window, (sent - t0) / 1e9, Bench.machine()));
        }
    }

    private static long count(Connection db, String[] tenants, java.sql.Timestamp since, String sql) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setArray(1, db.createArrayOf("varchar", tenants));
            if (since != null) {
                ps.setTimestamp(2, since);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
