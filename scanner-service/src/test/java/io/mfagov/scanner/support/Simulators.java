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
