package io.mfagov.scanner.support;

import io.mfagov.graphsim.GraphSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts the Graph simulator in-process for a Quarkus test and points {@code mfagov.graph.*} at it. */
public class GraphSimulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile GraphSimulator sim;

    public static GraphSimulator simulator() {
        return sim;
    }

    @Override
    public Map<String, String> start() {
        sim = Simulators.start();
        return Map.of(
                "mfagov.graph.base-url", sim.graphBaseUrl(),
                "mfagov.graph.static-token", "sim-static:{tenantId}",
                "mfagov.graph.ca-interval", "25ms",
                "mfagov.graph.retry-base-delay", "20ms",
                "mfagov.graph.max-retry-delay", "2s",
                "mfagov.graph.ca-retry-budget", "500ms",
                "mfagov.graph.max-concurrent-tenants", "8",
                "mfagov.graph.reports-limit", Integer.toString(Simulators.REPORTS_LIMIT));
    }

    @Override
    public void stop() {
        if (sim != null) {
            sim.close();
            sim = null;
        }
    }
}
