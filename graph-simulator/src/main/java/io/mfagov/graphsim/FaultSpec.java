package io.mfagov.graphsim;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

/**
 * Faults injected into Graph requests (not into the token endpoint or the admin API), globally or per tenant.
 * A tenant's own spec replaces the global one for that tenant.
 *
 * <p>Shares are probabilities in [0,1] drawn per request; statuses are tried in the order 429, 500, 503, 504
 * (their shares add up, so 0.25 each = every request fails). {@code endpoints} limits the spec to endpoint keys
 * (see {@code GraphSimulator} README, e.g. {@code caPolicies}, {@code users}); empty = all Graph endpoints.
 *
 * @param latencyMs             added latency per request (non-blocking timer)
 * @param jitterMs              uniform extra latency in [0, jitterMs]
 * @param error429              share of requests answered 429 (Graph's TooManyRequests body)
 * @param retryAfterSeconds     Retry-After header on injected 429s; null = none
 * @param error500              share answered 500 (generalException)
 * @param error503              share answered 503 (serviceNotAvailable)
 * @param error504              share answered 504 (gatewayTimeout)
 * @param connectionReset       share of requests whose TCP connection is reset without an answer
 * @param truncatedJson         share of 200 answers cut in the middle of the JSON (Content-Length matches the cut body)
 * @param malformedJson         share of 200 answers whose body is not valid JSON
 * @param consentRevoked        every Graph request of the tenant is refused (admin consent revoked)
 * @param consentRevokedStatus  403 (Authorization_RequestDenied, default) or 401 (InvalidAuthenticationToken)
 * @param endpoints             endpoint keys the spec applies to; null/empty = all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultSpec(
        long latencyMs,
        long jitterMs,
        double error429,
        Integer retryAfterSeconds,
        double error500,
        double error503,
        double error504,
        double connectionReset,
        double truncatedJson,
        double malformedJson,
        boolean consentRevoked,
        Integer consentRevokedStatus,
        Set<String> endpoints) {

    public static FaultSpec none() {
        return new FaultSpec(0, 0, 0, null, 0, 0, 0, 0, 0, 0, false, null, null);
    }

    public FaultSpec withLatency(long fixedMs, long jitterMs) {
        return new FaultSpec(fixedMs, jitterMs, error429, retryAfterSeconds, error500, error503, error504,
                connectionReset, truncatedJson, malformedJson, consentRevoked, consentRevokedStatus, endpoints);
    }

    /** Share of requests answered with {@code status} (429, 500, 503 or 504). */
    public FaultSpec withErrorShare(int status, double share) {
        return new FaultSpec(latencyMs, jitterMs,
                status == 429 ? share : error429, retryAfterSeconds,
                status == 500 ? share : error500,
                status == 503 ? share : error503,
                status == 504 ? share : error504,
                connectionReset, truncatedJson, malformedJson, consentRevoked, consentRevokedStatus, endpoints);
    }

    public FaultSpec withRetryAfterSeconds(Integer seconds) {
        return new FaultSpec(latencyMs, jitterMs, error429, seconds, error500, error503, error504,
                connectionReset, truncatedJson, malformedJson, consentRevoked, consentRevokedStatus, endpoints);
    }

    public FaultSpec withConnectionResets(double share) {
        return new FaultSpec(latencyMs, jitterMs, error429, retryAfterSeconds, error500, error503, error504,
                share, truncatedJson, malformedJson, consentRevoked, consentRevokedStatus, endpoints);
    }

    public FaultSpec withTruncatedJson(double share) {
        return new FaultSpec(latencyMs, jitterMs, error429, retryAfterSeconds, error500, error503, error504,
                connectionReset, share, malformedJson, consentRevoked, consentRevokedStatus, endpoints);
    }

    public FaultSpec withMalformedJson(double share) {
        return new FaultSpec(latencyMs, jitterMs, error429, retryAfterSeconds, error500, error503, error504,
                connectionReset, truncatedJson, share, consentRevoked, consentRevokedStatus, endpoints);
    }

    /** Revoked admin consent: 403 Authorization_RequestDenied (or 401 with {@code status == 401}). */
    public FaultSpec withConsentRevoked(int status) {
        return new FaultSpec(latencyMs, jitterMs, error429, retryAfterSeconds, error500, error503, error504,
                connectionReset, truncatedJson, malformedJson, true, status, endpoints);
    }

    public FaultSpec onlyFor(Set<String> endpointKeys) {
        return new FaultSpec(latencyMs, jitterMs, error429, retryAfterSeconds, error500, error503, error504,
                connectionReset, truncatedJson, malformedJson, consentRevoked, consentRevokedStatus,
                endpointKeys == null ? null : Set.copyOf(endpointKeys));
    }

    @JsonIgnore
    public boolean appliesTo(String endpointKey) {
        return endpoints == null || endpoints.isEmpty() || endpoints.contains(endpointKey);
    }

    @JsonIgnore
    public int revokedStatus() {
        return consentRevokedStatus != null && consentRevokedStatus == 401 ? 401 : 403;
    }

    @JsonIgnore
    public boolean isNone() {
        return latencyMs <= 0 && jitterMs <= 0 && error429 <= 0 && error500 <= 0 && error503 <= 0 && error504 <= 0
                && connectionReset <= 0 && truncatedJson <= 0 && malformedJson <= 0 && !consentRevoked;
    }
}
