package io.mfagov.scanner.support;

import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.testing.SelfSignedCertificate;
import io.mfagov.scanner.graph.PermissionTable;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Graph simulator without static tokens, and the scanner configured with credential sets exactly as an operator
 * would: the default set is the MSP app with its secret in a mounted file, {@code certificate} an app proving itself
 * with a certificate file, {@code wrong-secret} the MSP app with a secret Entra rejects, {@code onboarding} the onboarding
 * fixture's MSP app (its partner tenant and customers are served too).
 */
public class CredentialSetsSimulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String MSP_CLIENT_ID = "5e1f0c2a-9b8d-4c7e-a6f5-0d4c3b2a1908";
    public static final String CERT_APP = "7d1e4c2b-3a59-4f68-9b7c-0e1d2c3b4a59";
    public static final String MSP_SECRET = "msp-secret-" + UUID.randomUUID();
    public static final String WRONG_SECRET = "wrong-secret-" + UUID.randomUUID();

    private static volatile GraphSimulator sim;
    private static volatile Path secretFile;

    public static GraphSimulator simulator() {
        return sim;
    }

    public static Path secretFile() {
        return secretFile;
    }

    @Override
    public Map<String, String> start() {
        SelfSignedCertificate cert = SelfSignedCertificate.create("CN=mfagov-onboarding-test");
        try {
            Path dir = Files.createTempDirectory("mfagov-credentials");
            secretFile = Files.writeString(dir.resolve("client-secret"), MSP_SECRET + "\n");
            Path pem = cert.writePem(dir.resolve("scanner.pem"));
            sim = GraphSimulator.start(SimulatorConfig.builder()
                    .tenants(TestTenants.all())
                    .tenants(io.mfagov.graphsim.testing.OnboardingFixture.tenants())
                    .limits(Simulators.fastLimits())
                    .staticTokens(false)
                    .mspApp(MSP_CLIENT_ID, MSP_SECRET)
                    .app(AppRegistration.builder(CERT_APP).homeTenant(TestTenants.F1).certificate(cert.certificate()).build())
                    .consent(TestTenants.EMPTY, CERT_APP, PermissionTable.toGrant())
                    .dataDir(Path.of("target", "graph-simulator"))
                    .build());
            sim.installTrustStoreSystemProperties();
            sim.admin().setGrantedPermissions(TestTenants.EMPTY, new HashSet<>(PermissionTable.toGrant()));
            Map<String, String> config = new LinkedHashMap<>();
            config.put("mfagov.graph.base-url", sim.graphBaseUrl());
            config.put("mfagov.graph.authority-host", sim.authorityUrl());
            config.put("mfagov.graph.client-id", MSP_CLIENT_ID);
            config.put("mfagov.graph.client-secret-file", secretFile.toString());
            config.put("mfagov.graph.credentials.\"certificate\".client-id", CERT_APP);
            config.put("mfagov.graph.credentials.\"certificate\".certificate-path", pem.toString());
            config.put("mfagov.graph.credentials.\"wrong-secret\".client-id", MSP_CLIENT_ID);
            config.put("mfagov.graph.credentials.\"wrong-secret\".client-secret", WRONG_SECRET);
            config.put("mfagov.graph.credentials.\"onboarding\".client-id", io.mfagov.graphsim.testing.OnboardingFixture.MSP_APP_ID);
            config.put("mfagov.graph.credentials.\"onboarding\".client-secret-file", Files.writeString(
                    dir.resolve("onboarding-secret"), io.mfagov.graphsim.testing.OnboardingFixture.MSP_APP_SECRET).toString());
            config.put("mfagov.graph.ca-interval", "25ms");
            config.put("mfagov.graph.retry-base-delay", "20ms");
            config.put("mfagov.graph.max-retry-delay", "2s");
            config.put("mfagov.graph.ca-retry-budget", "500ms");
            config.put("mfagov.graph.max-concurrent-tenants", "8");
            config.put("mfagov.graph.reports-limit", Integer.toString(Simulators.REPORTS_LIMIT));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (sim != null) {
            sim.close();
            sim = null;
        }
    }
}
