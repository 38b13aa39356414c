package io.mfagov.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Turns Jackson's reading errors into 400 problems naming the field, without echoing internals. */
public final class JsonProblems {

    private JsonProblems() {
    }

    public static Problem from(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping) {
            String field = path(mapping);
            if (e instanceof UnrecognizedPropertyException unknown) {
                return bad(field, "unknown field '" + unknown.getPropertyName() + "'");
            }
            if (e instanceof InvalidFormatException format) {
                Class<?> target = format.getTargetType();
                if (target != null && target.isEnum()) {
                    String allowed = Arrays.stream(target.getEnumConstants()).map(Object::toString)
                            .filter(v -> !"UNKNOWN".equals(v)).collect(Collectors.joining(", "));
                    return bad(field, "'" + format.getValue() + "' is not one of " + allowed);
                }
                return bad(field, "'" + format.getValue() + "' is not a valid " + simpleName(target));
            }
            if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
                return bad(field, String.valueOf(instantiation.getCause().getMessage()));
            }
            if (e instanceof MismatchedInputException mismatched) {
                return bad(field, "expected " + simpleName(mismatched.getTargetType()));
            }
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof java.time.DateTimeException) {
                return bad(field, cause.getMessage());
            }
            return bad(field, "invalid value");
        }
        return bad(null, "the body is not valid JSON");
    }

    private static Problem bad(String field, String detail) {
        String text = field == null || field.isEmpty() ? detail : field + ": " + detail;
        return Problem.of(400, "invalid-field", "Invalid request field", text, field == null || field.isEmpty() ? null : field);
    }

    private static String simpleName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == java.time.Instant.class) {
            return "ISO-8601 instant (e.g. 2026-01-31T00:00:00Z)";
        }
        if (type == java.util.UUID.class) {
            return "UUID";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "array";
        }
        if (type.isRecord() || (!type.isPrimitive() && !type.getName().startsWith("java."))) {
            return "object";
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
