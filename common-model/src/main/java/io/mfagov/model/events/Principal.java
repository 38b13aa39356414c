package io.mfagov.model.events;

import io.mfagov.model.Require;

/**
 * The concrete principal an exclusion reaches.
 *
 * @param id                object id for users, groups and service principals; role template id for roles;
 *                           app id for applications; named location id for locations; the rule's name for guest rules
 * @param type              what it is
 * @param userPrincipalName for users
 * @param displayName       as Graph returns it (null when unresolved)
 * @param userType          {@code Member} or {@code Guest}, for users
 * @param accountEnabled    for users and service principals
 * @param resolved          false when Graph did not return the object: deleted, or no permission to read it
 * @param trusted           for locations: whether the named location is marked trusted
 */
public record Principal(
        String id,
        PrincipalType type,
        String userPrincipalName,
        String displayName,
        String userType,
        Boolean accountEnabled,
        Boolean resolved,
        Boolean trusted) {

    public Principal {
        Require.text(id, "principal.id");
        Require.present(type, "principal.type");
        Require.present(resolved, "principal.resolved");
    }

    public static Principal unresolved(String id, PrincipalType type) {
        return new Principal(id, type, null, null, null, null, false, null);
    }
}
