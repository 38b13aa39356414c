package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What kind of principal an exclusion reaches. */
public enum PrincipalType {
    USER,
    GROUP,
    ROLE,
    GUEST_RULE,
    APPLICATION,
    SERVICE_PRINCIPAL,
    LOCATION,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
