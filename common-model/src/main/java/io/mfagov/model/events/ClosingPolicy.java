package io.mfagov.model.events;

import io.mfagov.model.Require;

/**
 * An enabled policy that closes a hole for the users it covers, e.g. a block of legacy authentication closing the
 * {@code exchangeActiveSync} and {@code other} client-app holes of a browser-only MFA policy.
 */
public record ClosingPolicy(String id, String displayName) {

    public ClosingPolicy {
        Require.text(id, "closedBy.id");
    }
}
