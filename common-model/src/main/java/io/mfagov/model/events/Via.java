package io.mfagov.model.events;

import io.mfagov.model.Require;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How the principal is excluded.
 *
 * @param kind        DIRECT for an id in {@code excludeUsers}; otherwise what the policy names
 * @param id          the id the policy names (group id, role template id, rule name, app id, location id)
 * @param displayName its name
 * @param path        every hop from what the policy names to the principal, outermost first
 *                    (for a user in a nested group: the excluded group, then each inner group); empty for DIRECT
 */
public record Via(ViaKind kind, String id, String displayName, List<PathStep> path) {

    public Via {
        Require.present(kind, "via.kind");
        Require.text(id, "via.id");
        path = path == null ? List.of() : List.copyOf(path);
    }

    public static Via direct(String principalId) {
        return new Via(ViaKind.DIRECT, principalId, null, List.of());
    }

    /** Readable path, e.g. {@code group:Legacy Scanners > group:Scanner Hosts}; {@code direct} when direct. */
    public String describe() {
        if (path.isEmpty()) {
            return kind == ViaKind.DIRECT ? "direct" : new PathStep(kind, id, displayName).label();
        }
        return path.stream().map(PathStep::label).collect(Collectors.joining(" > "));
    }

    /** Stable identity of the path (ids only), part of an exclusion's key. */
    public String pathKey() {
        if (path.isEmpty()) {
            return kind.name() + ":" + id;
        }
        return path.stream().map(s -> s.kind().name() + ":" + s.id()).collect(Collectors.joining(">"));
    }
}
