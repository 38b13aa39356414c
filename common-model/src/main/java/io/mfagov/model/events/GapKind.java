package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What kind of MFA gap a user shows. */
public enum GapKind {
    /** An enabled member or guest that has not registered any MFA method (not also reported NOT_CAPABLE). */
    NOT_REGISTERED,
    /** Registered, but not MFA-capable: no method the authentication methods policy allows. */
    NOT_CAPABLE,
    /** Successful single-factor sign-ins in the window (interactive or not). */
    SINGLE_FACTOR_SIGNINS,
    /** Excluded or uncovered by Conditional Access, but protected by per-user MFA (enabled or enforced). */
    PER_USER_MFA_ONLY,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
