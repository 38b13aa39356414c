package io.mfagov.model.events;

import io.mfagov.model.Require;

/**
 * An enabled user whom no enabled, hole-free MFA policy for all cloud apps covers.
 *
 * @param privileged true when the user holds a directory role, active or PIM-eligible (null when roles were not read)
 */
public record UncoveredUser(
        String id,
        String userPrincipalName,
        String displayName,
        String userType,
        UncoveredReason reason,
        Boolean privileged) {

    public UncoveredUser {
        Require.text(id, "uncoveredUsers[].id");
        Require.present(reason, "uncoveredUsers[].reason");
    }
}
