package io.mfagov.scanner.service;

import io.mfagov.scanner.config.GraphConfig;
import io.mfagov.scanner.config.RemediationConfig;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.CredentialSet;
import io.mfagov.scanner.graph.CredentialSets;
import io.mfagov.scanner.graph.GraphClientFactory;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Wires the plain scanner classes into CDI from {@code mfagov.graph.*}. */
public class ScannerBeans {

    @Produces
    @Singleton
    ScannerSettings settings(GraphConfig config) {
        return ScannerSettings.of(config);
    }

    @Produces
    @Singleton
    CredentialSets credentialSets(GraphConfig config) {
        return credentialSetsOf(config);
    }

    /** The default set (top-level keys) and the named ones; a named set's authority defaults to the top-level one. */
    static CredentialSets credentialSetsOf(GraphConfig c) {
        CredentialSet d = new CredentialSet(CredentialSet.DEFAULT, c.clientId(), c.clientSecret(), c.clientSecretFile(),
                c.certificatePath(), c.certificatePassword(), c.federatedTokenFile(), c.authorityHost());
        List<CredentialSet> named = new ArrayList<>();
        c.credentials().forEach((name, s) -> named.add(new CredentialSet(name, s.clientId(), s.clientSecret(),
                s.clientSecretFile(), s.certificatePath(), s.certificatePassword(), s.federatedTokenFile(),
                s.authorityHost().orElse(c.authorityHost()))));
        List<String> other = new ArrayList<>();
        c.staticToken().filter(t -> !t.isBlank()).ifPresent(t -> other.add(t.replace("{tenantId}", "")));
        return new CredentialSets(d, named, other);
    }

    @Produces
    @Singleton
    GraphClientFactory graphClientFactory(ScannerSettings settings, CredentialSets credentials) {
        return new GraphClientFactory(settings, credentials);
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

    @Produces
    @Singleton
    PartnerDiscovery partnerDiscovery(GraphClientFactory factory, ScannerSettings settings) {
        // customers are checked a few at a time: each is one token request and one organization read
        return new PartnerDiscovery(factory, Clock.systemUTC(), Math.min(16, settings.maxConcurrentTenants()));
    }

    void close(@Disposes PartnerDiscovery discovery) {
        discovery.close();
    }

    void close(@Disposes ParallelScanner scanner) {
        scanner.close();
    }
}
