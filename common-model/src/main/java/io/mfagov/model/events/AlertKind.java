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
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
