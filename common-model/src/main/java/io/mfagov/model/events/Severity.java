package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How urgent an alert is, lowest first. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
