package io.mfagov.model;

import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DiscoveryCompleted;
import io.mfagov.model.events.DiscoveryRequested;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.ExclusionUsageObserved;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.RemediationApplied;
import io.mfagov.model.events.RemediationFailed;
import io.mfagov.model.events.RemediationPlanned;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.model.events.TenantPostureObserved;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanRequested;

import java.util.Arrays;
import java.util.Optional;

/**
 * The registry of event types: name on the wire, payload class, topic and current schema version.
 * Schemas evolve additively within a version; a breaking change gets a new version.
 */
public enum EventType {

    SCAN_REQUESTED("ScanRequested", ScanRequested.class, Topics.SCAN_REQUESTS, 1),
    DISCOVERY_REQUESTED("DiscoveryRequested", DiscoveryRequested.class, Topics.SCAN_REQUESTS, 1),
    EXCLUSION_DETECTED("ExclusionDetected", ExclusionDetected.class, Topics.SCAN_RESULTS, 1),
    COVERAGE_OBSERVED("CoverageObserved", CoverageObserved.class, Topics.SCAN_RESULTS, 1),
    MFA_GAP_DETECTED("MfaGapDetected", MfaGapDetected.class, Topics.SCAN_RESULTS, 1),
    EXCLUSION_USAGE_OBSERVED("ExclusionUsageObserved", ExclusionUsageObserved.class, Topics.SCAN_RESULTS, 1),
    TENANT_POSTURE_OBSERVED("TenantPostureObserved", TenantPostureObserved.class, Topics.SCAN_RESULTS, 1),
    SCAN_COMPLETED("ScanCompleted", ScanCompleted.class, Topics.SCAN_RESULTS, 1),
    REMEDIATION_REQUESTED("RemediationRequested", RemediationRequested.class, Topics.REMEDIATION_REQUESTS, 1),
    REMEDIATION_PLANNED("RemediationPlanned", RemediationPlanned.class, Topics.SCAN_RESULTS, 1),
    REMEDIATION_APPLIED("RemediationApplied", RemediationApplied.class, Topics.SCAN_RESULTS, 1),
    REMEDIATION_FAILED("RemediationFailed", RemediationFailed.class, Topics.SCAN_RESULTS, 1),
    CUSTOMER_DISCOVERED("CustomerDiscovered", CustomerDiscovered.class, Topics.SCAN_RESULTS, 1),
    DISCOVERY_COMPLETED("DiscoveryCompleted", DiscoveryCompleted.class, Topics.SCAN_RESULTS, 1),
    ALERT_RAISED("AlertRaised", AlertRaised.class, Topics.ALERTS, 1);

    private final String wireName;
    private final Class<? extends EventPayload> payloadType;
    private final String topic;
    private final int schemaVersion;

    EventType(String wireName, Class<? extends EventPayload> payloadType, String topic, int schemaVersion) {
        this.wireName = wireName;
        this.payloadType = payloadType;
        this.topic = topic;
        this.schemaVersion = schemaVersion;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends EventPayload> payloadType() {
        return payloadType;
    }

    public String topic() {
        return topic;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    /** Classpath location of this type's JSON Schema (the envelope with this payload). */
    public String schemaResource() {
        return "/io/mfagov/model/schemas/" + wireName + ".v" + schemaVersion + ".schema.json";
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static EventType of(EventPayload payload) {
        return Arrays.stream(values())
                .filter(t -> t.payloadType.isInstance(payload))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type for " + payload.getClass()));
    }
}
