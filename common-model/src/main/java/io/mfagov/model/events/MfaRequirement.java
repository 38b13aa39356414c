package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How a Conditional Access policy requires MFA. */
public enum MfaRequirement {
    BUILT_IN_MFA,
    AUTH_STRENGTH,
    /** A custom control ({@code customAuthenticationFactors}), e.g. a Duo control; named in {@link PolicyRef#customControl()}. */
    CUSTOM_CONTROL,
    /** A block policy (legacy authentication): excluding someone from it opens a path no MFA can guard. */
    BLOCK,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
