package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exclusion queries filtered by tenant and status over 1,000,000 rows (not a timed test; run with -Dbench): rows seeded
 * by one INSERT ... SELECT generate_series (100 tenants x 10,000, all statuses), then GET /api/v1/exclusions through the
 * real HTTP API with a signed token, open loop at a fixed rate (latency counted from the scheduled send time, so a slow
 * answer delays nothing), first pages and next pages (keyset cursor). EXPLAIN ANALYZE of the query is reported too.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
@Tag("benchmark")
class TenantStatusQueryBenchmark {

    static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    static final int RATE = Integer.getInteger("bench.rate", 100);
    static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int TENANTS = 100;
    static final String[] STATUSES = {"UNAPPROVED", "APPROVED", "PENDING", "EXPIRING", "EXPIRED", "APPROVED,EXPIRING"};
    private static final Pattern CURSOR = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");

    @TestHTTPResource("/")
    URL base;

    static String tenant(int i) {
        return String.format("b0000000-0000-4000-8000-%012d", i);
    }

    @Test
    void tenantAndStatusQueriesOverAMillionRows() throws Exception {
        try (Connection db = Bench.db(); Statement st = db.createStatement()) {
            long t0 = System.nanoTime();
            st.execute("insert into exclusion (id, tenant_id, exclusion_key, policy_id, policy_name, policy_state,"
                    + " mfa_requirement, principal_type, principal_id, principal_upn, principal_display_name,"
                    + " principal_user_type, account_enabled, resolved, via_kind, via_id, via_display_name, via_path_ids,"
                    + " via_path, first_seen_at, appeared_at, last_seen_at, last_scan_id, removed_at, removed_by_scan_id,"
                    + " status, exception_id, category, expires_at)"
                    + " select md5('bench-exclusion-' || g)::uuid, 'b0000000-0000-4000-8000-' || lpad((g % " + TENANTS
                    + ")::text, 12, '0'), 'p' || (g % 7) || '|USER|' || md5('u' || g)::uuid || '|DIRECT', 'p' || (g % 7),"
                    + " 'Require MFA ' || (g % 7), 'ENABLED', 'BUILT_IN_MFA', 'USER', md5('u' || g)::uuid::text,"
                    + " 'u' || g || '@contoso.example', 'User ' || g, 'Member', true, true, 'DIRECT',"
                    + " md5('u' || g)::uuid::text, null, '', 'direct', now() - make_interval(secs => g),"
                    + " now() - make_interval(secs => g), now() - make_interval(secs => g % 3600),"
                    + " md5('scan' || (g % " + TENANTS + "))::uuid, case when s = 'REMOVED' then now() end,"
                    + " case when s = 'REMOVED' then md5('scan' || (g % " + TENANTS + "))::uuid end, s,"
                    + " case when s in ('APPROVED', 'PENDING', 'EXPIRING', 'EXPIRED') then md5('x' || (g % 500))::uuid end,"
                    + " case when s in ('APPROVED', 'PENDING', 'EXPIRING', 'EXPIRED') then 'LEGACY_APP' end,"
                    + " case when s in ('APPROVED', 'PENDING', 'EXPIRING', 'EXPIRED') then now() + interval '30 days' end"
                    + " from generate_series(1, " + ROWS + ") g, lateral (select (array['UNAPPROVED', 'UNAPPROVED',"
                    + " 'UNAPPROVED', 'UNAPPROVED', 'APPROVED', 'APPROVED', 'PENDING', 'EXPIRING', 'EXPIRED',"
                    + " 'REMOVED'])[1 + (g / " + TENANTS + ") % 10] as s) st");
            // Steady state, as a table gets after autovacuum: visibility map and hint bits set, pages clean; otherwise
            // the first readers write them, and autovacuum of the fresh million rows would run during the measurement.
            st.execute("vacuum analyze exclusion");
            st.execute("checkpoint");
            long seeded = System.nanoTime();
            long total = Bench.longValue(db, "select count(*) from exclusion");
            Bench.report(String.format("query: seeded %,d exclusion rows (%,d in the table) in %.1f s by INSERT ... SELECT"
                    + " generate_series", ROWS, total, (seeded - t0) / 1e9));

            explain(st, "select * from exclusion e where e.tenant_id = '" + tenant(42) + "' and e.status in ('UNAPPROVED')"
                    + " and e.removed_at is null order by e.first_seen_at, e.id limit 51");
            explain(st, "select * from exclusion e where e.tenant_id = '" + tenant(42) + "' and e.status in ('APPROVED',"
                    + " 'EXPIRING') and e.removed_at is null order by e.first_seen_at, e.id limit 51");
            explain(st, "select * from exclusion e where e.tenant_id = '" + tenant(42) + "' and e.status in ('UNAPPROVED')"
                    + " and (e.first_seen_at, e.id) > (now() - interval '5 days', '00000000-0000-0000-0000-000000000000')"
                    + " and e.removed_at is null"
                    + " order by e.first_seen_at, e.id limit 51");
        }

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = TestTokens.token(RegisterTestSupport.READER, "reader");
        Random random = new Random(7);
        List<String> cursors = Collections.synchronizedList(new ArrayList<>());
        load(http, token, random, cursors, 10, false); // warm-up; collects next-page cursors
        Result r = load(http, token, random, cursors, SECONDS, true);
        Bench.report(String.format("query: GET /api/v1/exclusions?tenantId&status[&cursor]&limit=50 over %,d rows, open loop"
                        + " %d req/s for %d s: %d requests (%d next pages), %d errors; p50 %.1f ms, p95 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms [%s]", ROWS, RATE, SECONDS, r.count, r.nextPages, r.errors,
                r.percentile(50), r.percentile(95), r.percentile(99), r.percentile(100), Bench.machine()));
        assertThat(r.errors).isZero();
    }

    private static void explain(Statement st, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = st.executeQuery("explain (analyze, buffers) " + sql)) {
            while (rs.next()) {
                plan.append("    ").append(rs.getString(1)).append('\n');
            }
        }
        Bench.report("query plan: " + sql + "\n" + plan.toString().stripTrailing());
    }

    record Result(int count, int nextPages, int errors, List<Double> latencies) {
        double percentile(double p) {
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
        }
    }

    private Result load(HttpClient http, String token, Random random, List<String> cursors, int seconds, boolean measure)
            throws Exception {
        int total = RATE * seconds;
        long intervalNanos = 1_000_000_000L / RATE;
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        int nextPages = 0;
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            String url;
            if (measure && i % 5 == 4 && !cursors.isEmpty()) {
                String c = cursors.get(random.nextInt(cursors.size()));
                url = c; // a next page: tenant, status and cursor of a page seen before
                nextPages++;
            } else {
                url = "api/v1/exclusions?tenantId=" + tenant(random.nextInt(TENANTS)) + "&status="
                        + STATUSES[random.nextInt(STATUSES.length)] + "&limit=50";
            }
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String requestUrl = url;
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(requestUrl))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                double ms = (System.nanoTime() - scheduled) / 1e6;
                if (failure != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                    return;
                }
                latencies.add(ms);
                if (!measure && !requestUrl.contains("cursor=")) {
                    Matcher m = CURSOR.matcher(response.body());
                    if (m.find()) {
                        cursors.add(requestUrl + "&cursor=" + m.group(1));
                    }
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
        return new Result(total, nextPages, errors.get(), new ArrayList<>(latencies));
    }
}
