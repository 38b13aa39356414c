package io.mfagov.support.problem;

import io.mfagov.support.ids.Ids;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/** Request checks that fail with a 400 problem naming the field. */
public final class Check {

    private Check() {
    }

    /** An Entra GUID (tenant, object id), normalised to lower case. */
    public static String guid(String field, String value) {
        required(field, value);
        if (!Ids.isGuid(value)) {
            throw ProblemException.invalid(field, field + " must be a GUID like 6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    public static String optionalGuid(String field, String value) {
        return value == null || value.isBlank() ? null : guid(field, value);
    }

    /** A resource id (UUID). */
    public static UUID uuid(String field, String value) {
        required(field, value);
        if (!Ids.isGuid(value)) {
            throw ProblemException.invalid(field, field + " must be a UUID");
        }
        return UUID.fromString(value);
    }

    /** An optional resource id: null when absent or blank, else a UUID (400 naming the field otherwise). */
    public static UUID optionalUuid(String field, String value) {
        return value == null || value.isBlank() ? null : uuid(field, value);
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, field + " is required");
        }
        return value;
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw ProblemException.invalid(field, field + " is required");
        }
        return value;
    }

    public static String maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ProblemException.invalid(field, field + " is longer than " + max + " characters");
        }
        return value;
    }

    public static int range(String field, Integer value, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ProblemException.invalid(field, field + " must be between " + min + " and " + max);
        }
        return value;
    }

    public static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, field + " must be an ISO-8601 instant like 2026-01-31T00:00:00Z");
        }
    }

    /** An enum constant by name (case-insensitive); UNKNOWN (reserved for readers) is refused too. */
    public static <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (!"UNKNOWN".equals(constant.name()) && constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        throw ProblemException.invalid(field, "'" + value + "' is not one of "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name)
                .filter(n -> !"UNKNOWN".equals(n)).toList()));
    }
}
