package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why an enabled user is not covered by any enabled MFA policy for all cloud apps without a hole. */
public enum UncoveredReason {
    /** Every enabled, hole-free all-apps MFA policy that includes the user also excludes them. */
    EXCLUDED_EVERYWHERE,
    /** No enabled MFA policy includes the user at all. */
    IN_NO_INCLUDE,
    /** Only report-only policies would require MFA of the user: they enforce nothing. */
    ONLY_REPORT_ONLY,
    /** Enabled policies reach the user, but each has a hole (apps, conditions, a non-MFA alternative). */
    ONLY_PARTIAL_POLICIES,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
