package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How a Conditional Access policy requires MFA. */
public enum MfaRequirement {
    BUILT_IN_MFA,
    AUTH_STRENGTH,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
