package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What an alert is about. */
public enum AlertKind {
    UNAPPROVED_EXCLUSION,
    EXPIRING,
    EXPIRED,
    EXCLUSION_REMOVED,
    SCAN_FAILED,
    REVIEW_DUE,
    ORPHANED_EXCEPTION,
    /** The tenant enforces no MFA at all: no enabled MFA policy and security defaults off. */
    NO_MFA_ENFORCEMENT,
    /** A user holding a privileged role became uncovered: no enabled MFA policy reaches them. */
    UNCOVERED_PRIVILEGED_USER,
    /** An approved exception whose principal did not sign in for the configured period (default 90 days). */
    UNUSED_EXCEPTION,
    /** Successful single-factor sign-ins by a user: new, or rising by the configured factor. */
    SINGLE_FACTOR_SIGNINS,
    /** A privileged user who cannot do MFA (not registered or not capable). */
    NOT_REGISTERED_PRIVILEGED,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
