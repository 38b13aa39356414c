package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * The evidence of use of one excluded principal (a user, or an excluded application or service principal where Graph
 * has its sign-ins) in one scan's sign-in window. Topic {@code mfagov.scan-results}, key tenantId; after the scan's
 * detections, before its {@link ScanCompleted}. The register matches it to exclusions by principal.
 *
 * @param principalType        USER, APPLICATION or SERVICE_PRINCIPAL
 * @param principalId          object id, or app id for applications
 * @param windowDays           the sign-in window actually read
 * @param lastSignIn           last successful sign-in in the window (null: none)
 * @param lastSingleFactorSignIn last successful single-factor sign-in in the window (null: none)
 * @param signIns              successful sign-ins in the window
 * @param singleFactorSignIns  successful single-factor sign-ins in the window
 */
public record ExclusionUsageObserved(
        UUID scanId,
        String tenantId,
        PrincipalType principalType,
        String principalId,
        Integer windowDays,
        Instant lastSignIn,
        Instant lastSingleFactorSignIn,
        Integer signIns,
        Integer singleFactorSignIns,
        Instant observedAt) implements EventPayload {

    public ExclusionUsageObserved {
        Require.present(scanId, "scanId");
        Require.guid(tenantId, "tenantId");
        Require.present(principalType, "principalType");
        Require.text(principalId, "principalId");
        Require.notNegative(Require.present(windowDays, "windowDays"), "windowDays");
        Require.notNegative(Require.present(signIns, "signIns"), "signIns");
        Require.notNegative(Require.present(singleFactorSignIns, "singleFactorSignIns"), "singleFactorSignIns");
        Require.present(observedAt, "observedAt");
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }
}
