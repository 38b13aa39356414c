package io.mfagov.scanner.service;

import io.mfagov.model.events.GapKind;

import java.time.Instant;
import java.util.List;

/**
 * One user's MFA gap of one kind as the scan found it (scanner-internal; becomes an {@code MfaGapDetected}).
 * Registration gaps carry the default method and the methods registered; the sign-in fields are for
 * SINGLE_FACTOR_SIGNINS and stay empty otherwise.
 */
public record Gap(GapKind kind, String userId, String userPrincipalName, String displayName, String userType,
                  Boolean privileged, Integer count, Instant firstSeen, Instant lastSeen, List<String> apps,
                  List<String> clientApps, List<String> locations, List<String> ipAddresses, String defaultMethod,
                  List<String> methodsRegistered, String perUserMfaState, String detail) {

    public Gap {
        apps = apps == null ? List.of() : List.copyOf(apps);
        clientApps = clientApps == null ? List.of() : List.copyOf(clientApps);
        locations = locations == null ? List.of() : List.copyOf(locations);
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
        methodsRegistered = methodsRegistered == null ? List.of() : List.copyOf(methodsRegistered);
    }

    /** A registration gap (NOT_REGISTERED or NOT_CAPABLE). */
    static Gap registration(GapKind kind, DirObject user, Boolean privileged, String defaultMethod,
                            List<String> methods, String detail) {
        return new Gap(kind, user.id(), user.userPrincipalName(), user.displayName(), user.userType(), privileged,
                null, null, null, null, null, null, null, defaultMethod, methods, null, detail);
    }
}
