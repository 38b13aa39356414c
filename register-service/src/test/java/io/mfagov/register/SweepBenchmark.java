package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.ScanStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * The COMPLETE sweep of a 10,000-exclusion tenant (not a timed test; run with -Dbench). Measured: from sending the
 * ScanCompleted to its commit being visible (5 ms polling, through the real broker), and inside the service (from
 * scan.completed_at to the SCAN_COMPLETED audit row, i.e. without broker and commit).
 * Case 1: all 10,000 seen again (nothing removed, every status re-decided); case 2: none seen (10,000 removed, each
 * with an audit row and an EXCLUSION_REMOVED alert).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
@Tag("benchmark")
class SweepBenchmark {

    static final int SIZE = Integer.getInteger("bench.sweep.size", 10_000);

    @Test
    void completeSweepOfA10000ExclusionTenant() throws Exception {
        String tenant = UUID.randomUUID().toString();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            users.add(UUID.randomUUID().toString());
        }
        try (KafkaProducer<String, String> producer = Bench.producer(); Connection db = Bench.db()) {
            scan(producer, db, tenant, users, 0, "warm-up (first scan: creates the 10,000)", false);
            scan(producer, db, tenant, users, 0, "all 10,000 seen again: nothing removed, 10,000 statuses re-decided", true);
            scan(producer, db, tenant, List.of(), SIZE, "none seen: 10,000 removed (10,000 audit rows + 10,000 alerts)", true);
            assertThat(Bench.longValue(db, "select count(*) from exclusion where tenant_id = ? and removed_at is null", tenant))
                    .isZero();
        }
    }

    private void scan(KafkaProducer<String, String> producer, Connection db, String tenant, List<String> users,
            int expectRemoved, String name, boolean report) throws Exception {
        UUID scan = UUID.randomUUID();
        Instant started = Instant.now().minusSeconds(1);
        List<EventEnvelope<?>> detections = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            detections.add(EventEnvelope.wrap(user(scan, tenant, "policy-" + (i % 5), users.get(i), Instant.now()), Instant.now()));
        }
        Bench.sendAll(producer, Bench.records(detections));
        while (!users.isEmpty() && Bench.longValue(db, "select coalesce(max(received_count), 0) from scan where scan_id = ?",
                scan) < users.size()) {
            Bench.sleep(50);
        }
        Bench.sleep(500); // let the consumer go idle
        var closing = Bench.records(List.of(EventEnvelope.wrap(
                completed(scan, tenant, ScanStatus.COMPLETE, users.size(), started), Instant.now())));
        long t0 = System.nanoTime();
        Bench.sendAll(producer, closing);
        String reconciliation = null;
        while (reconciliation == null) {
            Bench.sleep(5);
            try (PreparedStatement ps = db.prepareStatement("select reconciliation from scan where scan_id = ?")) {
                ps.setObject(1, scan);
                try (ResultSet rs = ps.executeQuery()) {
                    reconciliation = rs.next() ? rs.getString(1) : null;
                }
            }
        }
        long visible = System.nanoTime();
        assertThat(reconciliation).isEqualTo("SWEPT");
        long removed = Bench.longValue(db, "select removed_count from scan where scan_id = ?", scan);
        assertThat(removed).isEqualTo(expectRemoved);
        double inService;
        try (PreparedStatement ps = db.prepareStatement("select extract(epoch from a.occurred_at - s.completed_at) * 1000"
                + " from scan s join audit_event a on a.subject_id = s.scan_id::text and a.action = 'SCAN_COMPLETED'"
                + " where s.scan_id = ?")) {
            ps.setObject(1, scan);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inService = rs.getDouble(1);
            }
        }
        if (report) {
            Bench.report(String.format("sweep of a %,d-exclusion tenant, %s: %.0f ms from send to visible commit"
                            + " (through the broker); %.0f ms inside the service [%s]",
                    SIZE, name, (visible - t0) / 1e6, inService, Bench.machine()));
        }
    }
}
