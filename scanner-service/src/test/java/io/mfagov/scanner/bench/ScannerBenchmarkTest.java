package io.mfagov.scanner.bench;

import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.ConditionalAccessPolicyCollectionResponse;
import io.mfagov.graphsim.FaultSpec;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.LimitsConfig;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.graph.GraphSession;
import io.mfagov.scanner.service.Detection;
import io.mfagov.scanner.service.ParallelScanner;
import io.mfagov.scanner.service.TenantScan;
import io.mfagov.scanner.service.TenantScanner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Benchmarks, not tests: run with {@code ./mvnw -pl scanner-service verify -Dbench -Dtest=ScannerBenchmarkTest}.
 * Figures go to docs/benchmarks.md, section "Scanner".
 */
@Tag("benchmark")
class ScannerBenchmarkTest {

    private static final long SEED = 20261127L;
    /** Reads every whole-policy scan makes whatever the policies name (docs/scan-semantics.md, section 14). */
    private static final int ENDPOINT_FLOOR = 6;

    /** (a) Graph requests of the scanner vs the guide's approach on the synthetic spread, and what the guide misses. */
    @Test
    void requestsVersusTheGuidesApproach() throws Exception {
        int count = Integer.getInteger("bench.tenants.a", 300);
        try (GraphSimulator sim = GraphSimulator.start(SimulatorConfig.builder().generated(SEED, count)
                .limits(LimitsConfig.graphDefaults()).eventLoops(2).dataDir(Path.of("target", "graph-simulator")).build())) {
            ScannerSettings settings = ScannerSettings.staticToken(sim.graphBaseUrl(), "sim-static:{tenantId}").withConcurrency(64);
            GraphClientFactory factory = new GraphClientFactory(settings);
            TenantScanner scanner = new TenantScanner(factory, Clock.systemUTC());
            List<String> tenants = sim.tenants().ids();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<CompletableFuture<long[]>> rows = new ArrayList<>();
            for (String t : tenants) {
                rows.add(CompletableFuture.supplyAsync(() -> compare(sim, factory, scanner, t), pool));
            }
            long tenantsAtLeast30 = 0;
            long oursHttp = 0;
            long oursGraph = 0;
            long guide = 0;
            long missed = 0;
            long guideFalse = 0;
            long ourRows = 0;
            long incomplete = 0;
            List<Double> ratios = new ArrayList<>();
            List<Long> perTenant = new ArrayList<>();
            for (CompletableFuture<long[]> f : rows) {
                long[] r = f.join();
                perTenant.add(r[2]);
                // r: principals, oursHttp, oursGraph, guideRequests, missedByGuide, guideRowsOutsideMfa, ourRows, complete
                if (r[7] == 0) {
                    incomplete++;
                }
                if (r[0] < 30) {
                    continue;
                }
                tenantsAtLeast30++;
                oursHttp += r[1];
                oursGraph += r[2];
                guide += r[3];
                missed += r[4];
                guideFalse += r[5];
                ourRows += r[6];
                ratios.add((double) r[3] / r[1]);
            }
            pool.shutdownNow();
            ratios.sort(Double::compare);
            System.out.printf("%n=== Scanner benchmark (a): Graph requests, scanner vs the guide (seed %d, %d tenants) ===%n", SEED, count);
            System.out.printf("tenants with >= 30 excluded principals: %d (incomplete scans overall: %d)%n", tenantsAtLeast30, incomplete);
            System.out.printf("guide approach requests: %d; scanner HTTP requests: %d (Graph-counted incl. $batch inner: %d)%n",
                    guide, oursHttp, oursGraph);
            System.out.printf("ratio (guide / scanner HTTP): aggregate %.1fx, median %.1fx, min %.1fx; vs Graph-counted: %.1fx%n",
                    (double) guide / oursHttp, ratios.get(ratios.size() / 2), ratios.get(0), (double) guide / oursGraph);
            perTenant.sort(Long::compare);
            long sum = perTenant.stream().mapToLong(Long::longValue).sum();
            System.out.printf("Graph-counted requests per tenant (all %d tenants): total %d, mean %.1f, median %d, p95 %d, max %d;"
                    + " endpoint floor %d per tenant (policies, security defaults, role assignments, PIM eligibility, registration,"
                    + " users: what every scan must read), mean / floor %.1fx%n", perTenant.size(), sum,
                    (double) sum / perTenant.size(), perTenant.get(perTenant.size() / 2),
                    perTenant.get((int) (perTenant.size() * 0.95)), perTenant.get(perTenant.size() - 1), ENDPOINT_FLOOR,
                    (double) sum / perTenant.size() / ENDPOINT_FLOOR);
            StringBuilder byEndpoint = new StringBuilder();
            for (String endpoint : List.of("caPolicies", "securityDefaults", "authenticationStrengthPolicies",
                    "roleAssignments", "roleEligibilityScheduleInstances", "users", "getByIds", "transitiveMembers",
                    "groupEligibilityScheduleInstances", "servicePrincipals", "namedLocations", "user")) {
                byEndpoint.append(' ').append(endpoint).append('=').append(sim.counters().forEndpoint(endpoint));
            }
            System.out.printf("requests by endpoint, all tenants, scanner and guide together (the guide: caPolicies and user):%s%n",
                    byEndpoint);
            System.out.printf("scanner rows: %d; rows the guide misses (groups, roles, guests, apps, locations): %d; "
                    + "guide rows from disabled or non-MFA policies: %d%n", ourRows, missed, guideFalse);
        }
    }

    private static long[] compare(GraphSimulator sim, GraphClientFactory factory, TenantScanner scanner, String tenant) {
        long before = sim.counters().forTenant(tenant);
        long batchesBefore = sim.counters().forTenant(tenant, "batch");
        TenantScan scan = scanner.scan(tenant);
        long graphCounted = sim.counters().forTenant(tenant) - before - (sim.counters().forTenant(tenant, "batch") - batchesBefore);
        Set<String> principals = new HashSet<>();
        Set<String> ours = new HashSet<>();
        for (Detection d : scan.detections()) {
            principals.add(d.principal().type() + ":" + d.principal().id());
            ours.add(d.policy().id() + "|" + d.principal().id());
        }
        // the guide: Get-MgIdentityConditionalAccessPolicy -All, then Get-MgUser per excludeUsers id, per policy
        try {
            Thread.sleep(1100); // CA reads: 1 request/s per tenant; the guide would run at another time anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        GraphSession session = factory.open(tenant);
        List<ConditionalAccessPolicy> policies = new ArrayList<>();
        ConditionalAccessPolicyCollectionResponse page = session.client().identity().conditionalAccess().policies().get();
        while (true) {
            policies.addAll(page.getValue());
            if (page.getOdataNextLink() == null) {
                break;
            }
            String next = page.getOdataNextLink();
            page = session.client().identity().conditionalAccess().policies().withUrl(next).get();
        }
        Set<String> guideRows = new HashSet<>();
        Set<String> mfaPolicyIds = new HashSet<>();
        scan.detections().forEach(d -> mfaPolicyIds.add(d.policy().id()));
        long outside = 0;
        for (ConditionalAccessPolicy p : policies) {
            List<String> ex = p.getConditions() == null || p.getConditions().getUsers() == null ? null
                    : p.getConditions().getUsers().getExcludeUsers();
            if (ex == null || ex.isEmpty()) {
                continue;
            }
            for (String id : ex) {
                try {
                    session.client().users().byUserId(id).get(rc -> rc.queryParameters.select =
                            new String[] {"userPrincipalName", "displayName"});
                } catch (RuntimeException notFound) {
                    // -ErrorAction SilentlyContinue
                }
                guideRows.add(p.getId() + "|" + id);
                if (!mfaPolicyIds.contains(p.getId())) {
                    outside++;
                }
            }
        }
        long missed = ours.stream().filter(k -> !guideRows.contains(k)).count();
        return new long[] {principals.size(), scan.graphRequestCount(), graphCounted, session.requestCount(), missed,
            outside, ours.size(), scan.status() == ScanStatus.COMPLETE ? 1 : 0};
    }

    /** (b) 1,000 synthetic tenants at 100 ms simulated latency with Graph's limits on. */
    @Test
    void thousandTenantsAtHundredMillisecondsLatency() {
        int count = Integer.getInteger("bench.tenants.b", 1000);
        int concurrency = Integer.getInteger("bench.concurrency", 128);
        try (GraphSimulator sim = GraphSimulator.start(SimulatorConfig.builder().generated(SEED, count)
                .limits(LimitsConfig.graphDefaults()).eventLoops(2).dataDir(Path.of("target", "graph-simulator")).build())) {
            sim.admin().setGlobalFaults(FaultSpec.none().withLatency(100, 0));
            ScannerSettings settings = ScannerSettings.staticToken(sim.graphBaseUrl(), "sim-static:{tenantId}")
                    .withConcurrency(concurrency);
            TenantScanner scanner = new TenantScanner(new GraphClientFactory(settings), Clock.systemUTC());
            List<String> tenants = sim.tenants().ids();
            Map<ScanStatus, Integer> statuses = new EnumMap<>(ScanStatus.class);
            long[] totals = new long[2];
            long t0 = System.nanoTime();
            try (ParallelScanner parallel = new ParallelScanner(scanner, concurrency)) {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (String t : tenants) {
                    all.add(parallel.submit(t).thenAccept(s -> {
                        synchronized (totals) {
                            statuses.merge(s.status(), 1, Integer::sum);
                            totals[0] += s.graphRequestCount();
                            totals[1] += s.detections().size();
                        }
                    }));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            long throttled = tenants.stream().mapToLong(t -> sim.counters().throttled(t)).sum();
            System.out.printf("%n=== Scanner benchmark (b): %d tenants, 100 ms latency, Graph limits on, %d tenants in flight ===%n",
                    tenants.size(), concurrency);
            System.out.printf("wall time: %.1f s; statuses: %s; HTTP requests: %d; detections: %d; 429s answered: %d%n",
                    took.toMillis() / 1000.0, statuses, totals[0], totals[1], throttled);
        }
    }

    /**
     * (c) The gap signals of one tenant of 10,000 users with 200,000 sign-ins in the 30-day window: what Graph counts,
     * against the documented bound (directory reads + ⌈interactive/1000⌉ + ⌈non-interactive/1000⌉ (+ service
     * principals) + at most mfagov.graph.per-user-mfa-limit per-user MFA reads of uncovered users), side by side with the same scan without
     * sign-ins. {@code -Dbench.reports.limit} (default 5, Graph's) sets the reports limit of simulator and scanner alike.
     */
    @Test
    void gapSignalsOfATenantWithTenThousandUsersAndTwoHundredThousandSignIns() {
        int users = Integer.getInteger("bench.users", 10_000);
        int signIns = Integer.getInteger("bench.signins", 200_000);
        int reportsLimit = Integer.getInteger("bench.reports.limit", 5);
        try (GraphSimulator sim = GraphSimulator.start(SimulatorConfig.builder().generated(SEED, 1)
                .usersPerTenant(users).signInsPerTenant(signIns)
                .limits(LimitsConfig.graphDefaults().withReports(reportsLimit, 10)).eventLoops(2)
                .dataDir(Path.of("target", "graph-simulator")).build())) {
            String tenant = sim.tenants().ids().get(0);
            ScannerSettings settings = ScannerSettings.staticToken(sim.graphBaseUrl(), "sim-static:{tenantId}")
                    .withReportsLimit(reportsLimit);
            TenantScanner scanner = new TenantScanner(new GraphClientFactory(settings), Clock.systemUTC());

            long t0 = System.nanoTime();
            TenantScan without = scanner.scan(tenant, 0);
            Duration withoutTook = Duration.ofNanos(System.nanoTime() - t0);
            sim.counters().reset(tenant);
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            t0 = System.nanoTime();
            TenantScan with = scanner.scan(tenant, 30);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            long heapAfter = rt.totalMemory() - rt.freeMemory();

            Map<String, Long> by = sim.counters().byEndpoint(tenant);
            long listings = by.getOrDefault("signIns.beta", 0L);
            long perUser = by.getOrDefault("perUserMfa", 0L);
            long excludedUsers = with.detections().stream()
                    .filter(d -> d.principal().type() == io.mfagov.model.events.PrincipalType.USER)
                    .map(d -> d.principal().id()).distinct().count();
            long uncovered = without.coverage().uncovered().size();
            TenantScan.Posture p = with.posture();
            System.out.printf("%n=== Scanner benchmark (c): gap signals of one tenant, %d users, %d sign-ins generated in the window,"
                    + " reports limit %d per 10 s ===%n", users, signIns, reportsLimit);
            System.out.printf("status %s; successful sign-ins read %d (single-factor %d, users %d); per-user MFA only %d;"
                    + " excluded users %d, uncovered users (before per-user MFA) %d; usage rows %d%n", with.status(),
                    p.signInsRead(), p.singleFactorSignIns(), p.singleFactorUsers(), p.perUserMfaOnly(), excludedUsers,
                    uncovered, with.usage().size());
            System.out.printf("Graph-counted requests: without sign-ins (window 0) %d; with the 30-day window %d ="
                    + " %d directory + %d sign-in pages + %d per-user MFA reads%n", without.graphRequestCount(),
                    with.graphRequestCount(), with.graphRequestCount() - listings - perUser, listings, perUser);
            System.out.printf("bound: sign-in pages %d <= ceil(%d / 1000) + 3 listings = %d; per-user reads %d <= min(uncovered"
                    + " users %d, per-user-mfa-limit %d); throttled answers %d; at Graph's own reports limit (5 per 10 s)"
                    + " the reports reads alone take >= %d s%n", listings, p.signInsRead(),
                    (p.signInsRead() + 999) / 1000 + 3, perUser, uncovered, settings.perUserMfaLimit(),
                    sim.counters().throttled(tenant), (listings + perUser + 1) * 2);
            System.out.printf("wall time: without sign-ins %.1f s, with %.1f s; heap growth of the JVM (scanner and simulator together) during the scan %.0f MB%n",
                    withoutTook.toMillis() / 1000.0, took.toMillis() / 1000.0, (heapAfter - heapBefore) / 1e6);
        }
    }
}
