package io.mfagov.notifier.rest;

import io.mfagov.support.problem.ProblemException;

import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;

/** Query and path parameter checks that fail with a 400 naming the parameter. */
final class Params {

    private static final Pattern UUID_PATTERN = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private Params() {
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!UUID_PATTERN.matcher(value).matches()) {
            throw ProblemException.invalid(name, name + " must be a UUID");
        }
        return UUID.fromString(value);
    }

    static UUID requiredUuid(String name, String value) {
        UUID id = uuid(name, value);
        if (id == null) {
            throw ProblemException.invalid(name, name + " is required");
        }
        return id;
    }

    static <E extends Enum<E>> E oneOf(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        throw ProblemException.invalid(name, "'" + value + "' is not one of "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
    }

    static int limit(Integer value) {
        if (value == null) {
            return 100;
        }
        if (value < 1 || value > 1000) {
            throw ProblemException.invalid("limit", "limit must be between 1 and 1000");
        }
        return value;
    }
}
