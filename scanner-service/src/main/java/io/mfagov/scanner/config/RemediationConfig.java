package io.mfagov.scanner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code mfagov.remediation.*}: the scanner's side of exception enforcement (requests on
 * {@code mfagov.remediation-requests}). Graph access (credentials, retries, the CA pace {@code mfagov.graph.ca-interval}
 * shared with the scans of the tenant) comes from {@link GraphConfig}.
 */
@ConfigMapping(prefix = "mfagov.remediation")
public interface RemediationConfig {

    /**
     * Request ids answered recently, kept in memory so that a redelivered request is skipped without a Graph read
     * (oldest forgotten first). Replays older than that are still safe: nothing is written unless the tenant matches
     * the request's expected state and the request is before its {@code notAfter}.
     */
    @WithDefault("10000")
    int answeredRequestIds();
}
