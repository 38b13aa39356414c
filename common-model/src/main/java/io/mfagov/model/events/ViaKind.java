package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How a principal is excluded: directly, or through a group, role, guest rule, application or location. */
public enum ViaKind {
    DIRECT,
    GROUP,
    ROLE,
    GUEST_RULE,
    APPLICATION,
    LOCATION,
    /** A condition or grant alternative of the policy itself: no principal is named, every user it includes is open. */
    CONDITION,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
