package io.mfagov.scanner.cli;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile plus the real {@code cli} profile of application.properties (no Kafka channels,
 * no HTTP port, no OIDC), so the one-shot mode is tested with the configuration it ships with.
 */
public class CliProfile implements QuarkusTestProfile {
    @Override
    public String getConfigProfile() {
        return "test,cli";
    }
}
