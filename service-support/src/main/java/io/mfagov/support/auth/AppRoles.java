package io.mfagov.support.auth;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Maps the values in a token's {@code roles} claim (Entra app roles) to ours: case-insensitively, with or without the
 * configured prefix ({@code Mfagov.Admin}, {@code mfagov.admin}, {@code Admin} and {@code admin} all mean admin).
 * Values that name none of our roles grant nothing.
 */
public final class AppRoles {

    private AppRoles() {
    }

    public static Optional<String> ours(String appRole, String prefix) {
        if (appRole == null) {
            return Optional.empty();
        }
        String value = appRole.trim();
        if (prefix != null && !prefix.isEmpty() && value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            value = value.substring(prefix.length());
        }
        String role = value.toLowerCase(Locale.ROOT);
        return Roles.isKnown(role) ? Optional.of(role) : Optional.empty();
    }

    public static Set<String> ours(Iterable<String> appRoles, String prefix) {
        Set<String> roles = new LinkedHashSet<>();
        for (String appRole : appRoles) {
            ours(appRole, prefix).ifPresent(roles::add);
        }
        return roles;
    }
}
