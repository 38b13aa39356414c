package io.mfagov.scanner.graph;

import io.mfagov.model.events.AccessStatus;

import java.util.List;
import java.util.Set;

/**
 * The access check of one tenant with one credential set, made before a scan reads anything: the token request (not a
 * Graph request) and the {@code roles} claim of the token compared with the {@link PermissionTable}.
 *
 * @param status                  what the check found
 * @param detail                  the reason in words and what to do (never a secret); null when OK
 * @param consentUrl              the tenant's admin-consent URL for the set's app (null for static tokens)
 * @param granted                 the token's roles (empty when unknown)
 * @param missingPermissions      scan permissions the token lacks, required first
 * @param disabledReads           keys of the optional reads skipped for want of a permission
 * @param missingWritePermissions the lifecycle's write permissions the token lacks
 * @param scanBlocked             true when no Graph read may be made: no token, or a required permission missing
 */
public record AccessCheck(
        AccessStatus status,
        String detail,
        String consentUrl,
        List<String> granted,
        List<String> missingPermissions,
        List<String> disabledReads,
        List<String> missingWritePermissions,
        boolean scanBlocked) {

    public AccessCheck {
        granted = granted == null ? List.of() : List.copyOf(granted);
        missingPermissions = missingPermissions == null ? List.of() : List.copyOf(missingPermissions);
        disabledReads = disabledReads == null ? List.of() : List.copyOf(disabledReads);
        missingWritePermissions = missingWritePermissions == null ? List.of() : List.copyOf(missingWritePermissions);
    }

    /** A static token (Graph stand-ins): roles unknown, the scan behaves as before the check existed. */
    public static AccessCheck unchecked() {
        return new AccessCheck(AccessStatus.UNCHECKED, null, null, List.of(), List.of(), List.of(), List.of(), false);
    }

    public boolean disabled(String readKey) {
        return disabledReads.contains(readKey);
    }

    public Set<String> grantedSet() {
        return Set.copyOf(granted);
    }

    /** Whether the roles are known (a token was issued and read). */
    public boolean rolesKnown() {
        return status == AccessStatus.OK || status == AccessStatus.MISSING_PERMISSIONS;
    }
}
