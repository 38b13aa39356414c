package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why an exclusion is to be removed from the tenant. */
public enum RemediationReason {
    /** Its exception expired and the tenant's grace period passed. */
    EXPIRED,
    /** Its exception was retired (no longer needed, e.g. unused). */
    RETIRED,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
