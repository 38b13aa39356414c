package io.mfagov.scanner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mfagov.graph.*}: how the scanner reaches Microsoft Graph. Secrets (client secret, certificate password,
 * static token) are never logged, published or put into error messages.
 */
@ConfigMapping(prefix = "mfagov.graph")
public interface GraphConfig {

    /** The MSP's multi-tenant app registration (client id). */
    Optional<String> clientId();

    /** Its client secret (or use {@link #certificatePath()}). */
    Optional<String> clientSecret();

    /** PEM (certificate + private key) or PFX/P12 file of the app's certificate. */
    Optional<String> certificatePath();

    /** Password of a PFX/P12 certificate. */
    Optional<String> certificatePassword();

    /**
     * A file holding the client secret (a mounted Kubernetes or Docker secret), read again before each scan: a
     * replaced file takes effect on the next scan, without a restart. Used when {@link #clientSecret()} is unset.
     */
    Optional<String> clientSecretFile();

    /**
     * Workload identity federation: the projected service-account token file exchanged as a client assertion (no
     * secret at all); read on every token request. Azure Workload Identity's webhook sets
     * {@code AZURE_FEDERATED_TOKEN_FILE}, which application.properties maps here; empty = unset.
     */
    Optional<String> federatedTokenFile();

    /**
     * Named credential sets, {@code mfagov.graph.credentials."<name>".*}: a tenant's {@code credentialRef} chooses
     * one (null = the top-level keys above, the set named {@code default}). Per set: its own app (client id) and one
     * credential; the authority host defaults to {@link #authorityHost()}.
     */
    Map<String, CredentialSetConfig> credentials();

    /** One named credential set. */
    interface CredentialSetConfig {
        /** The app registration (client id) of this set. */
        Optional<String> clientId();

        Optional<String> clientSecret();

        Optional<String> clientSecretFile();

        Optional<String> certificatePath();

        Optional<String> certificatePassword();

        Optional<String> federatedTokenFile();

        /** Entra token authority of this set; default: {@code mfagov.graph.authority-host}. */
        Optional<String> authorityHost();
    }

    /** Graph base URL, ending in the version segment. */
    @WithDefault("https://graph.microsoft.com/v1.0")
    String baseUrl();

    /** Entra token authority. */
    @WithDefault("https://login.microsoftonline.com")
    String authorityHost();

    /**
     * For Graph stand-ins only: send this bearer token instead of using azure-identity. {@code {tenantId}} in it is
     * replaced by the scanned tenant's id (the Graph simulator's tokens are {@code sim-static:{tenantId}}).
     */
    Optional<String> staticToken();

    /** Tenants scanned at the same time by one process (global cap; each tenant uses one thread). */
    @WithDefault("64")
    int maxConcurrentTenants();

    /** Retries per read after the first attempt (429, 5xx, timeouts, resets, malformed answers). */
    @WithDefault("3")
    int maxRetries();

    /** First backoff when Graph gives no Retry-After; doubles per retry. */
    @WithDefault("1s")
    Duration retryBaseDelay();

    /** Longest wait before a retry: Graph's Retry-After is honoured up to this (at least 5 minutes in production). */
    @WithDefault("5m")
    Duration maxRetryDelay();

    /** Pacing of CA policy and named-location reads per tenant (Graph: 1 request/s per tenant). */
    @WithDefault("1s")
    Duration caInterval();

    /**
     * CA policies and named locations answer 429 without Retry-After (1 request/s per tenant, shared with every app):
     * such a read backs off with jitter, doubling from {@link #caInterval()}, until this much time has been waited,
     * and only then counts as failed.
     */
    @WithDefault("60s")
    Duration caRetryBudget();

    /** $top for paged directory reads (transitiveMembers, roleAssignments): 1..999. */
    @WithDefault("999")
    int pageSize();

    /** $top for the CA policy list; unset = Graph's default page. */
    Optional<Integer> policyPageSize();

    /** HTTP connect/read timeout per request. */
    @WithDefault("30s")
    Duration requestTimeout();

    /**
     * Days of sign-in logs a scan reads for the gap signals (single-factor sign-ins, use of excluded principals);
     * capped at Graph's retention of 30 days (Entra ID P1/P2), and the window actually read is stated. 0 reads none.
     */
    @WithDefault("30")
    int signInDays();

    /**
     * Graph's "identity and access reports" limit per app per tenant (sign-in logs, registration report): the scanner
     * paces those reads to this many requests per 10 seconds so they are never answered 429. 0 turns pacing off.
     */
    @WithDefault("5")
    int reportsLimit();

    /**
     * At most this many per-user MFA reads per scan ({@code /beta/users/{id}/authentication/requirements}, one request
     * per user, paced to the reports limit): only uncovered users are read, privileged ones first, then those excluded
     * everywhere; beyond the limit the others stay uncovered and the posture says how many were not read.
     */
    @WithDefault("100")
    int perUserMfaLimit();
}
