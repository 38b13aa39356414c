package io.mfagov.notifier.bench;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertLink;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.notifier.support.NotifierTestResource;
import io.mfagov.notifier.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throughput benchmark (not part of the default build: {@code -Dbench}). Alerts are published at a fixed
 * rate as {@code AlertRaised} records with a plain Kafka producer to the real broker; the notifier (real
 * PostgreSQL, production delivery settings) delivers them as signed webhooks to {@link BenchmarkSink}, a
 * real HTTP server answering after 50 ms. Measures the sustained delivered/s and raised → arrival latency.
 *
 * <p>Knobs (system properties): {@code bench.rate} (alerts/s, default 550), {@code bench.seconds} (default 25),
 * {@code bench.destinations} (tenants, each with its own webhook on the sink; default 16),
 * {@code bench.sink-delay-ms} (default 50).
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(NotifierBenchmarkTest.ProductionDelivery.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class NotifierBenchmarkTest {

    /** Production delivery settings (the test profile's are tuned for fast retries, not for throughput). */
    public static class ProductionDelivery implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("mfagov.notifier.delivery.poll-interval", "PT0.25S");
            config.put("mfagov.notifier.delivery.per-destination-concurrency",
                    System.getProperty("bench.per-destination-concurrency", "8"));
            config.put("mfagov.notifier.delivery.connect-timeout", "PT5S");
            config.put("mfagov.notifier.delivery.request-timeout", "PT10S");
            config.put("mfagov.notifier.delivery.initial-backoff", "PT10S");
            config.put("mfagov.notifier.delivery.max-backoff", "PT15M");
            config.put("mfagov.notifier.delivery.max-retry-after", "PT1H");
            config.put("mfagov.notifier.digest.window", "PT1H");
            config.put("quarkus.log.category.\"io.mfagov\".level", "INFO");
            return config;
        }
    }

    private static final double P95_TARGET_SECONDS = 2.0;
    private static final double RATE_TARGET = 500;

    @Test
    void deliversAtLeast500AlertsPerSecondWithP95Under2Seconds() throws Exception {
        int rate = Integer.getInteger("bench.rate", 550);
        int seconds = Integer.getInteger("bench.seconds", 25);
        int destinations = Integer.getInteger("bench.destinations", 16);
        long sinkDelay = Long.getLong("bench.sink-delay-ms", 50);
        int total = rate * seconds;

        try (BenchmarkSink sink = new BenchmarkSink(sinkDelay);
             KafkaProducer<String, String> producer = producer()) {
            List<String> tenants = new ArrayList<>();
            for (int i = 0; i < destinations; i++) {
                String tenant = UUID.randomUUID().toString();
                tenants.add(tenant);
                webhook(tenant, sink.url("/psa/" + i));
            }
            warmUp(producer, tenants, sink);
            int warmUpArrivals = sink.count();
            sink.arrivals().clear();

            Map<String, Long> raisedNanos = new ConcurrentHashMap<>(total * 2);
            AtomicLong sendErrors = new AtomicLong();
            String load1Before = loadAverage();
            long start = System.nanoTime();
            long tickNanos = 10_000_000L; // publish in 10 ms ticks
            int sent = 0;
            for (long tick = 0; sent < total; tick++) {
                long due = start + tick * tickNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long shouldHaveSent = Math.min(total, (long) Math.floor((tick + 1) * rate / 100.0));
                while (sent < shouldHaveSent) {
                    String tenant = tenants.get(sent % tenants.size());
                    AlertRaised alert = alert(tenant);
                    raisedNanos.put(alert.alertId(), System.nanoTime());
                    producer.send(EventRecords.toRecord(EventEnvelope.wrap(alert, alert.raisedAt())),
                            (md, e) -> { if (e != null) sendErrors.incrementAndGet(); });
                    sent++;
                }
            }
            long publishedNanos = System.nanoTime() - start;
            String loadDuring = loadAverage();
            // Drain: everything should arrive soon after publishing stops.
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (sink.count() < total && System.nanoTime() < drainDeadline) {
                Thread.sleep(50);
            }
            Thread.sleep(1000); // late duplicates, if any, would show up here
            long end = System.nanoTime();

            List<BenchmarkSink.Arrival> arrivals = new ArrayList<>(sink.arrivals());
            long[] latencies = new long[arrivals.size()];
            long lastArrival = start;
            int i = 0;
            for (BenchmarkSink.Arrival a : arrivals) {
                Long raised = raisedNanos.get(a.alertId());
                latencies[i++] = raised == null ? -1 : a.atNanos() - raised;
                lastArrival = Math.max(lastArrival, a.atNanos());
            }
            Arrays.sort(latencies);
            // Sustained rate: arrivals in the steady window (5 s after the start to the end of publishing).
            long steadyFrom = start + Duration.ofSeconds(5).toNanos();
            long steadyTo = start + publishedNanos;
            long inSteady = arrivals.stream().filter(a -> a.atNanos() >= steadyFrom && a.atNanos() < steadyTo).count();
            double steadyRate = inSteady / ((steadyTo - steadyFrom) / 1e9);
            double overallRate = arrivals.size() / ((lastArrival - start) / 1e9);
            double publishRate = total / (publishedNanos / 1e9);
            double p50 = pct(latencies, 0.50), p95 = pct(latencies, 0.95), p99 = pct(latencies, 0.99);
            double max = latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e9;
            Map<String, Double> db = engineLatencies();

            String report = String.format(Locale.ROOT, String.join("%n",
                            "notifier benchmark %s",
                            "machine: %d CPUs (%s), load average before %s / at end of publishing %s",
                            "setup: %d webhook destinations (one per tenant) on one local sink answering 200 after %d ms;"
                                    + " production delivery settings (poll %s, per-destination concurrency %s)",
                            "published: %d alerts in %.1f s = %.0f alerts/s (target rate %d/s), send errors %d;"
                                    + " warm-up %d alerts before",
                            "delivered: %d of %d, duplicates %d, sink max concurrent requests %d",
                            "sustained delivered/s (t=5 s .. end of publishing): %.0f   overall (first publish .. last arrival): %.0f"
                                    + "   [target >= %.0f]",
                            "raised -> arrival at sink: p50 %.3f s, p95 %.3f s, p99 %.3f s, max %.3f s   [target p95 < %.1f s]",
                            "raised -> recorded DELIVERED (database): p50 %.3f s, p95 %.3f s, p99 %.3f s",
                            "raised -> taken in from Kafka (database): p50 %.3f s, p95 %.3f s, p99 %.3f s",
                            ""),
                    OffsetDateTime.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(), cpuModel(),
                    load1Before, loadDuring, destinations, sinkDelay,
                    System.getProperty("bench.poll", "PT0.25S"), System.getProperty("bench.per-destination-concurrency", "8"),
                    total, publishedNanos / 1e9, publishRate, rate, sendErrors.get(), warmUpArrivals,
                    arrivals.size(), total, sink.duplicates(), sink.maxConcurrent(),
                    steadyRate, overallRate, RATE_TARGET,
                    p50, p95, p99, max, P95_TARGET_SECONDS,
                    db.get("p50"), db.get("p95"), db.get("p99"), db.get("in50"), db.get("in95"), db.get("in99"));
            System.out.println(report);
            Path out = Path.of("target", "benchmark-results.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);

            assertThat(sink.duplicates()).as("each alert once per destination").isZero();
            assertThat(arrivals).as("every alert delivered").hasSize(total);
        }
    }

    private static void warmUp(KafkaProducer<String, String> producer, List<String> tenants, BenchmarkSink sink)
            throws InterruptedException {
        int n = 500;
        for (int i = 0; i < n; i++) {
            AlertRaised alert = alert(tenants.get(i % tenants.size()));
            producer.send(EventRecords.toRecord(EventEnvelope.wrap(alert, alert.raisedAt())));
            if (i % 50 == 49) {
                Thread.sleep(100);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sink.count() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sink.count()).as("warm-up delivered").isEqualTo(n);
        Thread.sleep(1000);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2),
                new StringSerializer(), new StringSerializer());
    }

    private static AlertRaised alert(String tenant) {
        String exclusionId = UUID.randomUUID().toString();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("Principal", "svc-scanner@contoso.com");
        facts.put("Policy", "Require MFA for all users");
        facts.put("Status", "UNAPPROVED");
        return new AlertRaised(AlertKind.UNAPPROVED_EXCLUSION + ":" + tenant + ":" + exclusionId, tenant,
                AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH, "svc-scanner@contoso.com excluded from 'Require MFA'",
                exclusionId, "exc-" + exclusionId.substring(0, 8), facts,
                List.of(new AlertLink("Open in the register", "https://register.msp.example/exceptions/" + exclusionId)),
                Instant.now());
    }

    private static void webhook(String tenant, String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "PSA " + tenant);
        body.put("tenantId", tenant);
        body.put("type", "WEBHOOK");
        body.put("url", url);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/destinations").then().statusCode(201);
    }

    /** raisedAt → deliveredAt as the notifier recorded it, over the measured alerts (not the warm-up). */
    private static Map<String, Double> engineLatencies() throws SQLException {
        Map<String, Double> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(PostgresTestResource.jdbcUrl(),
                PostgresTestResource.username(), PostgresTestResource.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select percentile_cont(array[0.5, 0.95, 0.99]) within group"
                             + " (order by extract(epoch from delivered_at - raised_at))"
                             + " from (select * from delivery where status = 'DELIVERED'"
                             + " order by created_at desc offset 0 limit (select count(*) - 500 from delivery)) d")) {
            rs.next();
            Double[] p = (Double[]) rs.getArray(1).getArray();
            out.put("p50", p[0]);
            out.put("p95", p[1]);
            out.put("p99", p[2]);
        }
        try (Connection c = DriverManager.getConnection(PostgresTestResource.jdbcUrl(),
                PostgresTestResource.username(), PostgresTestResource.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select percentile_cont(array[0.5, 0.95, 0.99]) within group"
                             + " (order by extract(epoch from received_at - raised_at))"
                             + " from (select * from received_alert"
                             + " order by received_at desc offset 0 limit (select count(*) - 500 from received_alert)) d")) {
            rs.next();
            Double[] p = (Double[]) rs.getArray(1).getArray();
            out.put("in50", p[0]);
            out.put("in95", p[1]);
            out.put("in99", p[2]);
        }
        return out;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e9;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
