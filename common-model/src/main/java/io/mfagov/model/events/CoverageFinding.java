package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A tenant-wide finding of a scan's coverage. */
public enum CoverageFinding {
    /** No enabled MFA policy and security defaults off: nothing in the tenant requires MFA. */
    NO_MFA_ENFORCEMENT,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
