package io.mfagov.model;

/**
 * The Kafka topics of mfagov. Every record on every topic is keyed by the tenant id, so one
 * tenant's events stay in order on one partition.
 */
public final class Topics {

    /** register → scanner: {@code ScanRequested}. */
    public static final String SCAN_REQUESTS = "mfagov.scan-requests";
    /**
     * scanner → register: {@code ExclusionDetected} records of a scan (and its other observations), then its
     * {@code ScanCompleted}; and the answers to remediation requests.
     */
    public static final String SCAN_RESULTS = "mfagov.scan-results";
    /**
     * register → scanner: {@code RemediationRequested} (plan, apply or roll back the removal of one exclusion from a
     * tenant). The scanner answers on {@link #SCAN_RESULTS} with {@code RemediationPlanned}, {@code RemediationApplied}
     * or {@code RemediationFailed}.
     */
    public static final String REMEDIATION_REQUESTS = "mfagov.remediation-requests";
    /** register → notifier: {@code AlertRaised}. */
    public static final String ALERTS = "mfagov.alerts";

    /** Suffix of the dead-letter topic of each consumed topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
