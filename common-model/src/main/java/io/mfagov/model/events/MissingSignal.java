package io.mfagov.model.events;

import io.mfagov.model.Require;

/**
 * A signal a scan could not read, and why (e.g. {@code signIns}: 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant).
 * Nothing is inferred from a refused read.
 *
 * @param signal {@code registration}, {@code signIns}, {@code perUserMfa}
 * @param reason Graph's answer, never a secret
 */
public record MissingSignal(String signal, String reason) {

    public MissingSignal {
        Require.text(signal, "missingSignals[].signal");
        Require.text(reason, "missingSignals[].reason");
    }
}
