package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON paths at which two versions of a policy differ, e.g. {@code conditions.users.excludeGroups} or
 * {@code grantControls.builtInControls}: what a remediation's verifying re-read reports besides the intended change.
 * {@code modifiedDateTime} (every write moves it) and {@code @odata.*} annotations are ignored. A list of plain values
 * is compared as a set (Graph does not promise an order); a list of objects element by element ({@code path[i]}).
 * A property missing on one side and null on the other is no difference.
 */
public final class PolicyDiff {

    private PolicyDiff() {
    }

    public static List<String> diff(JsonNode expected, JsonNode actual) {
        List<String> paths = new ArrayList<>();
        walk("", expected, actual, paths);
        return paths;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<String> out) {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            if (aNull != bNull) {
                out.add(path);
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (ignored(path, k)) {
                    continue;
                }
                walk(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            if (scalars(a) && scalars(b)) {
                if (!asSet(a).equals(asSet(b)) || a.size() != b.size()) {
                    out.add(path);
                }
                return;
            }
            if (a.size() != b.size()) {
                out.add(path);
                return;
            }
            for (int i = 0; i < a.size(); i++) {
                walk(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(path);
        }
    }

    private static boolean ignored(String path, String key) {
        return key.startsWith("@odata.") || (path.isEmpty() && key.equals("modifiedDateTime"));
    }

    private static boolean scalars(JsonNode array) {
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            if (it.next().isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> asSet(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(e -> s.add(e.toString()));
        return s;
    }
}
