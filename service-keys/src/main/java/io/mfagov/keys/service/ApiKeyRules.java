package io.mfagov.keys.service;

import io.mfagov.support.auth.BootstrapAdminKey;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.Problem;
import io.mfagov.support.problem.ProblemException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a new key's name and roles follow, the same in every service. A name becomes the actor
 * {@code apikey:<name>} of every write made with the key, so it is plain (letters, digits, '.', '_', '-'), at most
 * {@value #MAX_NAME_LENGTH} characters, never the bootstrap key's, and unique forever (case-insensitively; a revoked
 * key's name is never given to another key).
 */
public final class ApiKeyRules {

    public static final int MAX_NAME_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private ApiKeyRules() {
    }

    /** The trimmed name, or a 400 naming {@code name}. */
    public static String name(String name) {
        String trimmed = Check.maxLength("name", Check.required("name", name).trim(), MAX_NAME_LENGTH);
        if (!NAME.matcher(trimmed).matches()) {
            throw ProblemException.invalid("name", "name may contain letters, digits, '.', '_' and '-' only");
        }
        if (trimmed.equalsIgnoreCase(BootstrapAdminKey.NAME)) {
            // Its actor would read apikey:bootstrap-admin, indistinguishable from the bootstrap key in the audit trail.
            throw ProblemException.invalid("name", "'" + BootstrapAdminKey.NAME + "' is reserved for the bootstrap key");
        }
        return trimmed;
    }

    /** The roles, lower case, in the order given without repeats, or a 400 naming {@code roles} or {@code roles[i]}. */
    public static Set<String> roles(List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            throw ProblemException.invalid("roles", "roles must name at least one of " + Roles.ALL);
        }
        Set<String> normalised = new LinkedHashSet<>();
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i);
            if (!Roles.isKnown(role)) {
                throw ProblemException.invalid("roles[" + i + "]", "'" + role + "' is not one of " + Roles.ALL);
            }
            normalised.add(role.trim().toLowerCase(Locale.ROOT));
        }
        return normalised;
    }

    /** 409 naming {@code name}: the name is, or was, another key's. */
    public static ProblemException nameTaken(String name) {
        return new ProblemException(Problem.of(409, "name-taken", "Conflict with the current state",
                "an API key named '" + name + "' exists or existed (names are never reused, also after revocation)", "name"));
    }
}
