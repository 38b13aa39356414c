package io.mfagov.model.events;

import io.mfagov.model.Require;

/** One hop of the path from a policy's exclusion list to a principal, e.g. a group in a nested chain. */
public record PathStep(ViaKind kind, String id, String displayName) {

    public PathStep {
        Require.present(kind, "via.path.kind");
        Require.text(id, "via.path.id");
    }

    /** {@code group:Legacy Scanners}, or the id when the name is unknown. */
    public String label() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ":"
                + (displayName == null || displayName.isBlank() ? id : displayName);
    }
}
