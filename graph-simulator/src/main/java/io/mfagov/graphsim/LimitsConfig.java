package io.mfagov.graphsim;

/**
 * Graph-like service limits, per tenant (the simulator has one app per tenant, so "per app per tenant" = per tenant).
 *
 * @param enabled                 master switch (on by default)
 * @param caRequestsPerSecond     CA policies + named locations: requests per second per tenant (Graph: 1);
 *                                429 WITHOUT Retry-After, as Graph
 * @param caBurst                 bucket size for the CA limit (Graph: 1)
 * @param directoryRuSmall        directory resource units per 10 s for tenants with &lt; 50 users (Graph: 3,500)
 * @param directoryRuMedium       ... 50–500 users (Graph: 5,000)
 * @param directoryRuLarge        ... &gt; 500 users (Graph: 8,000); 429 with Retry-After
 * @param reportsRequests         identity and access reports: requests per window (Graph: 5)
 * @param reportsWindowSeconds    window of the reports limit (Graph: 10 s); 429 with Retry-After
 */
public record LimitsConfig(
        boolean enabled,
        double caRequestsPerSecond,
        int caBurst,
        int directoryRuSmall,
        int directoryRuMedium,
        int directoryRuLarge,
        int reportsRequests,
        int reportsWindowSeconds) {

    public static LimitsConfig graphDefaults() {
        return new LimitsConfig(true, 1.0, 1, 3500, 5000, 8000, 5, 10);
    }

    public static LimitsConfig off() {
        return graphDefaults().withEnabled(false);
    }

    public LimitsConfig withEnabled(boolean on) {
        return new LimitsConfig(on, caRequestsPerSecond, caBurst, directoryRuSmall, directoryRuMedium,
                directoryRuLarge, reportsRequests, reportsWindowSeconds);
    }

    public LimitsConfig withCa(double perSecond, int burst) {
        return new LimitsConfig(enabled, perSecond, burst, directoryRuSmall, directoryRuMedium,
                directoryRuLarge, reportsRequests, reportsWindowSeconds);
    }

    public LimitsConfig withDirectoryRu(int small, int medium, int large) {
        return new LimitsConfig(enabled, caRequestsPerSecond, caBurst, small, medium, large,
                reportsRequests, reportsWindowSeconds);
    }

    public LimitsConfig withReports(int requests, int windowSeconds) {
        return new LimitsConfig(enabled, caRequestsPerSecond, caBurst, directoryRuSmall, directoryRuMedium,
                directoryRuLarge, requests, windowSeconds);
    }

    /** Directory RU quota per 10 s for a tenant of {@code userCount} users (Graph's S/M/L tiers). */
    public int directoryRuFor(int userCount) {
        return userCount < 50 ? directoryRuSmall : userCount <= 500 ? directoryRuMedium : directoryRuLarge;
    }
}
