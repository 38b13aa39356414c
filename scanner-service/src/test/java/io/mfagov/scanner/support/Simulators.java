package io.mfagov.scanner.support;

import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.LimitsConfig;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.scanner.config.ScannerSettings;

import java.nio.file.Path;
import java.time.Duration;

/** Starting the Graph simulator for tests: latency 0, Graph's limits on but fast, the test tenants. */
public final class Simulators {

    private Simulators() {
    }

    /**
     * Limits on, CA bucket 50/s (so tests pace at 25 ms instead of 1 s) with a burst of 2: on a loaded
     * machine two paced requests can reach the simulator closer together than they were sent, and tests
     * that count requests must not see a retry for that. Pacing itself is tested with a burst of 1.
     */
    /**
     * Graph's limits, the CA and identity-and-access-reports ones raised so that tests scanning a tenant many times in
     * a row do not wait for them (SignInSignalsScanTest paces at Graph's own reports limit once).
     */
    public static LimitsConfig fastLimits() {
        return LimitsConfig.graphDefaults().withCa(50, 2).withReports(REPORTS_LIMIT, 10);
    }

    /** Reports requests per 10 s the fast limits allow, and the tests' scanner paces to. */
    public static final int REPORTS_LIMIT = 500;

    public static GraphSimulator start() {
        return GraphSimulator.start(SimulatorConfig.builder()
                .tenants(TestTenants.all())
                .limits(fastLimits())
                .eventLoops(2)
                .dataDir(Path.of("target", "graph-simulator"))
                .build());
    }

    /**
     * A simulator that issues real tokens (no static ones) to azure-identity: fast limits, this module's data directory;
     * the caller adds tenants, apps, consents and trusted issuers, then {@link #startTrusted}.
     */
    public static SimulatorConfig.Builder issuingTokens() {
        return SimulatorConfig.builder()
                .limits(fastLimits())
                .staticTokens(false)
                .dataDir(Path.of("target", "graph-simulator"));
    }

    /** Starts it, and makes this JVM trust its TLS certificate (the token authority is https, as Entra's is). */
    public static GraphSimulator startTrusted(SimulatorConfig.Builder builder) {
        GraphSimulator sim = GraphSimulator.start(builder.build());
        sim.installTrustStoreSystemProperties();
        return sim;
    }

    /** Static-token settings for the simulator, with short waits. */
    public static ScannerSettings settings(GraphSimulator sim) {
        return ScannerSettings.staticToken(sim.graphBaseUrl(), "sim-static:{tenantId}")
                .withConcurrency(8)
                .withCaInterval(Duration.ofMillis(25))
                .withRetries(3, Duration.ofMillis(20), Duration.ofSeconds(2))
                .withCaRetryBudget(Duration.ofMillis(500))
                .withReportsLimit(REPORTS_LIMIT);
    }
}
