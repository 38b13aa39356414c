package io.mfagov.scanner.cli;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The test profile plus what the {@code cli} profile sets: no Kafka channels, no HTTP port. */
public class CliProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mp.messaging.incoming.scan-requests.enabled", "false",
                "mp.messaging.outgoing.scan-results.enabled", "false",
                "mp.messaging.outgoing.scan-requests-out.enabled", "false",
                "quarkus.http.host-enabled", "false",
                "quarkus.log.category.\"io.smallrye.reactive.messaging.provider\".level", "ERROR",
                "quarkus.banner.enabled", "false");
    }
}
