package io.mfagov.scanner.service;

import io.mfagov.model.events.PrincipalType;

import java.time.Instant;

/**
 * The evidence of use of one excluded principal (user, service principal, application) in a scan's sign-in window:
 * successful sign-ins only (scanner-internal; becomes an {@code ExclusionUsageObserved}).
 */
public record PrincipalUsage(PrincipalType type, String principalId, int windowDays, Instant lastSignIn,
                             Instant lastSingleFactorSignIn, int signIns, int singleFactorSignIns) {
}
