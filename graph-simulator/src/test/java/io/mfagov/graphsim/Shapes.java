package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the shape (property names and JSON types) of a simulator answer with Microsoft's documented example.
 * null on either side is compatible with any type (nullable properties). Arrays compare their first elements.
 */
final class Shapes {
    private Shapes() {
    }

    /** Same property names at every level, compatible types. */
    static List<String> exactDifferences(JsonNode example, JsonNode actual) {
        List<String> out = new ArrayList<>();
        compare("$", example, actual, true, out);
        return out;
    }

    /** Every example property present with a compatible type (the simulator may return more). */
    static List<String> supersetDifferences(JsonNode example, JsonNode actual) {
        List<String> out = new ArrayList<>();
        compare("$", example, actual, false, out);
        return out;
    }

    private static void compare(String path, JsonNode ex, JsonNode ac, boolean exact, List<String> out) {
        if (ex == null || ex.isNull() || ac == null || ac.isNull()) {
            return;
        }
        if (ex.isObject()) {
            if (!ac.isObject()) {
                out.add(path + ": expected object, was " + ac.getNodeType());
                return;
            }
            Set<String> exKeys = keys(ex);
            Set<String> acKeys = keys(ac);
            for (String k : exKeys) {
                if (!acKeys.contains(k)) {
                    out.add(path + "." + k + ": missing");
                } else {
                    compare(path + "." + k, ex.get(k), ac.get(k), exact, out);
                }
            }
            if (exact) {
                for (String k : acKeys) {
                    if (!exKeys.contains(k)) {
                        out.add(path + "." + k + ": not in Microsoft's example");
                    }
                }
            }
        } else if (ex.isArray()) {
            if (!ac.isArray()) {
                out.add(path + ": expected array, was " + ac.getNodeType());
                return;
            }
            if (ex.size() > 0 && ac.size() > 0) {
                compare(path + "[0]", ex.get(0), ac.get(0), exact, out);
            }
        } else if (ex.isNumber() != ac.isNumber() || ex.isTextual() != ac.isTextual() || ex.isBoolean() != ac.isBoolean()) {
            out.add(path + ": expected " + ex.getNodeType() + ", was " + ac.getNodeType());
        }
    }

    static Set<String> keys(JsonNode n) {
        Set<String> s = new TreeSet<>();
        Iterator<String> it = n.fieldNames();
        it.forEachRemaining(s::add);
        return s;
    }
}
