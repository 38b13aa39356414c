package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's MFA posture from registration, per-user MFA and sign-ins, as one scan read it. Topic
 * {@code mfagov.scan-results}, key tenantId; after the scan's {@link MfaGapDetected} events, before its
 * {@link ScanCompleted}.
 *
 * @param signInWindowDays      the sign-in window actually read (capped by Graph's 30-day retention); null if unread
 * @param windowStart           its start
 * @param windowEnd             its end
 * @param notRegistered         enabled users not MFA-registered
 * @param notCapable            registered users not MFA-capable
 * @param singleFactorUsers     users with successful single-factor sign-ins in the window
 * @param perUserMfaOnly        excluded or uncovered users protected by per-user MFA
 * @param signInsRead           successful sign-ins read in the window
 * @param singleFactorSignIns   successful single-factor sign-ins among them
 * @param missingSignals        each signal that could not be read, with the reason (the scan stays COMPLETE)
 */
public record TenantPostureObserved(
        UUID scanId,
        String tenantId,
        Integer signInWindowDays,
        Instant windowStart,
        Instant windowEnd,
        Integer notRegistered,
        Integer notCapable,
        Integer singleFactorUsers,
        Integer perUserMfaOnly,
        Long signInsRead,
        Long singleFactorSignIns,
        List<MissingSignal> missingSignals,
        Instant observedAt) implements EventPayload {

    public TenantPostureObserved {
        Require.present(scanId, "scanId");
        Require.guid(tenantId, "tenantId");
        Require.present(observedAt, "observedAt");
        missingSignals = missingSignals == null ? List.of() : List.copyOf(missingSignals);
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }
}
