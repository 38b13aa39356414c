package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Outcome of one tenant's scan. Only COMPLETE lets the register retire exclusions the scan did not see. */
public enum ScanStatus {
    COMPLETE,
    PARTIAL,
    FAILED,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
