package io.mfagov.model;

import java.util.regex.Pattern;

/** Field checks for event records; messages name the field, so a dead-letter reason says what was wrong. */
public final class Require {

    private static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    public static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    public static String guid(String value, String field) {
        text(value, field);
        if (!isGuid(value)) {
            throw new IllegalArgumentException(field + " must be a GUID, was '" + abbreviate(value) + "'");
        }
        return value;
    }

    public static int notNegative(int value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
        return value;
    }

    public static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
