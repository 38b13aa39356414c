package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why a scan was requested. */
public enum ScanReason {
    SCHEDULED,
    MANUAL,
    API,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
