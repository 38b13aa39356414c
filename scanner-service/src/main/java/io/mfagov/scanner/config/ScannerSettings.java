package io.mfagov.scanner.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plain copy of {@link GraphConfig} so the scanner also runs outside CDI (benchmarks, tools). */
public record ScannerSettings(
        Optional<String> clientId,
        Optional<String> clientSecret,
        Optional<String> certificatePath,
        Optional<String> certificatePassword,
        String baseUrl,
        String authorityHost,
        Optional<String> staticToken,
        int maxConcurrentTenants,
        int maxRetries,
        Duration retryBaseDelay,
        Duration maxRetryDelay,
        Duration caInterval,
        int pageSize,
        Optional<Integer> policyPageSize,
        Duration requestTimeout,
        Duration caRetryBudget,
        int signInDays,
        int reportsLimit,
        int perUserMfaLimit) {

    /** Graph keeps sign-in logs 30 days (Entra ID P1/P2): a longer window is capped to this and says so. */
    public static final int SIGN_IN_RETENTION_DAYS = 30;

    public ScannerSettings {
        if (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        if (pageSize < 1 || pageSize > 999) {
            throw new IllegalArgumentException("mfagov.graph.page-size must be 1..999");
        }
        if (signInDays < 0) {
            throw new IllegalArgumentException("mfagov.graph.sign-in-days must be 0 or more");
        }
        if (maxConcurrentTenants < 1) {
            throw new IllegalArgumentException("mfagov.graph.max-concurrent-tenants must be at least 1");
        }
    }

    public static ScannerSettings of(GraphConfig c) {
        return new ScannerSettings(c.clientId(), c.clientSecret(), c.certificatePath(), c.certificatePassword(),
                c.baseUrl(), c.authorityHost(), c.staticToken(), c.maxConcurrentTenants(), c.maxRetries(),
                c.retryBaseDelay(), c.maxRetryDelay(), c.caInterval(), c.pageSize(), c.policyPageSize(),
                c.requestTimeout(), c.caRetryBudget(), c.signInDays(), c.reportsLimit(), c.perUserMfaLimit());
    }

    /** Static-token settings for a Graph stand-in, with Graph's defaults otherwise. */
    public static ScannerSettings staticToken(String baseUrl, String token) {
        return new ScannerSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), baseUrl,
                "https://login.microsoftonline.com", Optional.of(token), 64, 3, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(1), 999, Optional.empty(), Duration.ofSeconds(30),
                Duration.ofSeconds(60), 30, 5, 100);
    }

    public ScannerSettings withConcurrency(int tenants) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, tenants, maxRetries, retryBaseDelay, maxRetryDelay, caInterval, pageSize, policyPageSize,
                requestTimeout, caRetryBudget, signInDays, reportsLimit, perUserMfaLimit);
    }

    public ScannerSettings withRetries(int retries, Duration base, Duration max) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, maxConcurrentTenants, retries, base, max, caInterval, pageSize, policyPageSize,
                requestTimeout, caRetryBudget, signInDays, reportsLimit, perUserMfaLimit);
    }

    public ScannerSettings withCaInterval(Duration interval) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, maxConcurrentTenants, maxRetries, retryBaseDelay, maxRetryDelay, interval, pageSize,
                policyPageSize, requestTimeout, caRetryBudget, signInDays, reportsLimit, perUserMfaLimit);
    }

    public ScannerSettings withPageSizes(int directory, Integer policies) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, maxConcurrentTenants, maxRetries, retryBaseDelay, maxRetryDelay, caInterval, directory,
                Optional.ofNullable(policies), requestTimeout, caRetryBudget, signInDays, reportsLimit, perUserMfaLimit);
    }

    public ScannerSettings withClientSecret(String clientId, String secret, String authority) {
        return new ScannerSettings(Optional.of(clientId), Optional.of(secret), Optional.empty(), Optional.empty(),
                baseUrl, authority, Optional.empty(), maxConcurrentTenants, maxRetries, retryBaseDelay, maxRetryDelay,
                caInterval, pageSize, policyPageSize, requestTimeout, caRetryBudget, signInDays, reportsLimit, perUserMfaLimit);
    }

    public ScannerSettings withCaRetryBudget(Duration budget) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, maxConcurrentTenants, maxRetries, retryBaseDelay, maxRetryDelay, caInterval, pageSize,
                policyPageSize, requestTimeout, budget, signInDays, reportsLimit, perUserMfaLimit);
    }

    public ScannerSettings withSignInDays(int days) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, maxConcurrentTenants, maxRetries, retryBaseDelay, maxRetryDelay, caInterval, pageSize,
                policyPageSize, requestTimeout, caRetryBudget, days, reportsLimit, perUserMfaLimit);
    }

    public ScannerSettings withReportsLimit(int perWindow) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, maxConcurrentTenants, maxRetries, retryBaseDelay, maxRetryDelay, caInterval, pageSize,
                policyPageSize, requestTimeout, caRetryBudget, signInDays, perWindow, perUserMfaLimit);
    }

    public ScannerSettings withPerUserMfaLimit(int limit) {
        return new ScannerSettings(clientId, clientSecret, certificatePath, certificatePassword, baseUrl, authorityHost,
                staticToken, maxConcurrentTenants, maxRetries, retryBaseDelay, maxRetryDelay, caInterval, pageSize,
                policyPageSize, requestTimeout, caRetryBudget, signInDays, reportsLimit, limit);
    }

    /** The sign-in window a scan reads: the setting capped at Graph's retention. */
    public int signInWindowDays() {
        return Math.min(signInDays, SIGN_IN_RETENTION_DAYS);
    }

    /**
     * Graph's beta service root: the configured base URL with its version segment swapped ({@code …/v1.0} →
     * {@code …/beta}), so one setting points the scanner at Graph or at a stand-in serving both.
     */
    public String betaBaseUrl() {
        int slash = baseUrl.lastIndexOf('/');
        String last = baseUrl.substring(slash + 1);
        return last.matches("(?i)v\\d+(\\.\\d+)?|beta") ? baseUrl.substring(0, slash) + "/beta" : baseUrl + "/beta";
    }

    /** Values that must never appear in logs, events or errors. */
    public List<String> secrets() {
        List<String> out = new ArrayList<>();
        clientSecret.filter(s -> !s.isBlank()).ifPresent(out::add);
        certificatePassword.filter(s -> !s.isBlank()).ifPresent(out::add);
        staticToken.filter(s -> !s.isBlank()).ifPresent(s -> out.add(s.replace("{tenantId}", "")));
        return out;
    }
}
