package io.mfagov.scanner.service;

import io.mfagov.scanner.config.GraphConfig;
import io.mfagov.scanner.config.RemediationConfig;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.GraphClientFactory;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Wires the plain scanner classes into CDI from {@code mfagov.graph.*}. */
public class ScannerBeans {

    @Produces
    @Singleton
    ScannerSettings settings(GraphConfig config) {
        return ScannerSettings.of(config);
    }

    @Produces
    @Singleton
    GraphClientFactory graphClientFactory(ScannerSettings settings) {
        return new GraphClientFactory(settings);
    }

    @Produces
    @Singleton
    TenantScanner tenantScanner(GraphClientFactory factory) {
        return new TenantScanner(factory, Clock.systemUTC());
    }

    @Produces
    @Singleton
    ParallelScanner parallelScanner(TenantScanner scanner, ScannerSettings settings) {
        return new ParallelScanner(scanner, settings.maxConcurrentTenants());
    }

    @Produces
    @Singleton
    RemediationService remediationService(GraphClientFactory factory, RemediationConfig config) {
        return new RemediationService(factory, Clock.systemUTC(), config.answeredRequestIds());
    }

    void close(@Disposes ParallelScanner scanner) {
        scanner.close();
    }
}
