package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How a removal is carried out in the tenant. */
public enum PlanKind {
    /** The principal is named in the policy's excludeUsers, excludeGroups or excludeRoles: PATCH conditions.users. */
    EXCLUDE_LIST,
    /** The principal is excluded through a group it is a direct member of: remove that membership. */
    GROUP_MEMBERSHIP,
    /** Nothing safe to write (role path, dynamic or synced group, nested route not its only one): steps for a person. */
    MANUAL,
    /** The principal is no longer excluded through this route: nothing to do. */
    NONE,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
