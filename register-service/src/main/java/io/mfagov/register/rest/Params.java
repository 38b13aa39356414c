package io.mfagov.register.rest;

import io.mfagov.support.problem.ProblemException;

/** Query parameters are read as text and parsed here, so a bad one is a 400 naming it (not JAX-RS' 404). */
final class Params {

    private Params() {
    }

    static Integer integer(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, field + " must be a whole number");
        }
    }

    static boolean bool(String field, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(field, field + " must be true or false");
        };
    }

    /** true, false, or null when absent (a filter that may be left out). */
    static Boolean optionalBool(String field, String value) {
        return value == null || value.isBlank() ? null : bool(field, value);
    }

    static int limit(String value, int fallback, int max) {
        Integer limit = integer("limit", value);
        if (limit == null) {
            return fallback;
        }
        if (limit < 1 || limit > max) {
            throw ProblemException.invalid("limit", "limit must be between 1 and " + max);
        }
        return limit;
    }
}
