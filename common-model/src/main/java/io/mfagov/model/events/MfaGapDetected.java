package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One user's MFA gap of one kind, as one scan found it. Topic {@code mfagov.scan-results}, key tenantId; after the
 * scan's detections, before its {@link ScanCompleted}. Sign-ins are aggregated per user (apps, client apps, locations,
 * IPs as sets) — never one event per sign-in.
 *
 * @param count           for SINGLE_FACTOR_SIGNINS: successful single-factor sign-ins in the window
 * @param firstSeen       for SINGLE_FACTOR_SIGNINS: the first one in the window
 * @param lastSeen        for SINGLE_FACTOR_SIGNINS: the last one in the window
 * @param defaultMethod   for NOT_REGISTERED/NOT_CAPABLE: the user's default method, if any
 * @param methodsRegistered for NOT_REGISTERED/NOT_CAPABLE: the methods registered
 * @param perUserMfaState for PER_USER_MFA_ONLY: {@code enabled} or {@code enforced}
 * @param detail          one line for people
 */
public record MfaGapDetected(
        UUID scanId,
        String tenantId,
        GapKind kind,
        String userId,
        String userPrincipalName,
        String displayName,
        String userType,
        Boolean privileged,
        Integer count,
        Instant firstSeen,
        Instant lastSeen,
        List<String> apps,
        List<String> clientApps,
        List<String> locations,
        List<String> ipAddresses,
        String defaultMethod,
        List<String> methodsRegistered,
        String perUserMfaState,
        String detail,
        Instant observedAt) implements EventPayload {

    public MfaGapDetected {
        Require.present(scanId, "scanId");
        Require.guid(tenantId, "tenantId");
        Require.present(kind, "kind");
        Require.text(userId, "userId");
        Require.present(observedAt, "observedAt");
        apps = apps == null ? List.of() : List.copyOf(apps);
        clientApps = clientApps == null ? List.of() : List.copyOf(clientApps);
        locations = locations == null ? List.of() : List.copyOf(locations);
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
        methodsRegistered = methodsRegistered == null ? List.of() : List.copyOf(methodsRegistered);
    }

    @Override
    public String correlationId() {
        return scanId.toString();
    }
}
