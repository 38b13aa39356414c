package io.mfagov.notifier.delivery;

import java.time.Duration;

/**
 * What one attempt came to.
 *
 * @param statusCode HTTP status, or null when no response came (timeout, connection refused, refused by policy)
 * @param retryAfter the destination's Retry-After, when it sent one
 * @param error      a short reason for people (never a URL query or a secret)
 * @param permanent  retrying cannot help (4xx other than 408/429, redirects, addresses the policy refuses)
 */
public record SendOutcome(boolean delivered, Integer statusCode, Duration retryAfter, String error, boolean permanent) {

    public static SendOutcome ok(int status) {
        return new SendOutcome(true, status, null, null, false);
    }

    public static SendOutcome retryable(Integer status, Duration retryAfter, String error) {
        return new SendOutcome(false, status, retryAfter, error, false);
    }

    public static SendOutcome permanent(Integer status, String error) {
        return new SendOutcome(false, status, null, error, true);
    }
}
