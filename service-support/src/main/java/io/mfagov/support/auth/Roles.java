package io.mfagov.support.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The four roles of mfagov's HTTP APIs. They nest: admin ⊇ approver ⊇ requester ⊇ reader (an
 * approver may request too; four eyes keeps them from approving their own requests) ({@link RoleHierarchyAugmentor} adds the
 * implied roles, so endpoints name only the least role they need). With Entra ID the roles are
 * app roles and arrive in the token's {@code roles} claim.
 */
public final class Roles {

    public static final String READER = "reader";
    public static final String REQUESTER = "requester";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(READER, REQUESTER, APPROVER, ADMIN);

    private Roles() {
    }

    /** The role itself and every role it implies. Unknown roles imply nothing but themselves. */
    public static Set<String> withImplied(String role) {
        Set<String> roles = new LinkedHashSet<>();
        roles.add(role);
        switch (role) {
            case ADMIN -> roles.addAll(ALL);
            case APPROVER -> {
                roles.add(REQUESTER);
                roles.add(READER);
            }
            case REQUESTER -> roles.add(READER);
            default -> {
            }
        }
        return roles;
    }

    public static boolean isKnown(String role) {
        return role != null && ALL.contains(role.toLowerCase(Locale.ROOT));
    }
}
