package io.mfagov.scanner.graph;

import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.mfagov.scanner.config.ScannerSettings;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds a {@link GraphServiceClient} per tenant scan: the real Graph SDK over one shared OkHttp connection pool,
 * the base URL set on the request adapter before the client is built, the SDK's own retry switched off (the scanner
 * retries itself, bounded, per tenant; the SDK's would sleep on the calling thread up to 3 times per read), and a
 * network interceptor counting every HTTP request of the scan.
 *
 * <p>Authentication: azure-identity — client secret (value or file), certificate, or workload identity federation,
 * from the credential set a tenant's {@code credentialRef} names ({@link CredentialSets}); one credential per tenant
 * and set, tokens cached by azure-identity, rebuilt when the set's material changes — or, for Graph stand-ins only, a
 * static bearer token.
 */
public final class GraphClientFactory {

    private static final String SCOPE = "https://graph.microsoft.com/.default";

    private final ScannerSettings settings;
    private final OkHttpClient base;
    private final String[] allowedHosts;
    /** Per (tenant, credential set): the provider and the fingerprint of the material it was built from. */
    private final Map<String, Cached> providers = new ConcurrentHashMap<>();
    private final CredentialSets credentials;
    private final Redactor redactor;

    private record Cached(String fingerprint, AuthenticationProvider provider) {
    }

    public GraphClientFactory(ScannerSettings settings) {
        this(settings, List.of());
    }

    public GraphClientFactory(ScannerSettings settings, CredentialSets credentials) {
        this(settings, credentials, List.of());
    }

    /**
     * With extra OkHttp application interceptors, run after the SDK's middleware (closest to the wire, before
     * OkHttp's transparent gzip): tracing, or tests that alter Graph's answers.
     */
    public GraphClientFactory(ScannerSettings settings, List<Interceptor> interceptors) {
        this(settings, CredentialSets.of(settings), interceptors);
    }

    /** With named credential sets; a tenant's credentialRef picks one (checked per scan, so a bad ref is FAILED). */
    public GraphClientFactory(ScannerSettings settings, CredentialSets credentials, List<Interceptor> interceptors) {
        this.settings = settings;
        this.credentials = credentials;
        this.redactor = new Redactor(credentials::secrets);
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, settings.maxConcurrentTenants() * 2));
        dispatcher.setMaxRequestsPerHost(Math.max(64, settings.maxConcurrentTenants() * 2));
        RequestOption[] options = {new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0)};
        OkHttpClient.Builder builder = com.microsoft.graph.core.requests.GraphClientFactory.create(options)
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(16, settings.maxConcurrentTenants()), 5, TimeUnit.MINUTES))
                .retryOnConnectionFailure(false)
                .connectTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        interceptors.forEach(builder::addInterceptor);
        this.base = builder.build();
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add("graph.microsoft.com");
        hosts.add(URI.create(settings.baseUrl()).getHost().toLowerCase(Locale.ROOT));
        this.allowedHosts = hosts.toArray(String[]::new);
    }

    public ScannerSettings settings() {
        return settings;
    }

    public CredentialSets credentials() {
        return credentials;
    }

    /** The redactor of every secret this factory knows, those read from files since included. */
    public Redactor redactor() {
        return redactor;
    }

    /** Whether tokens are static (a Graph stand-in): no roles, no credential sets. */
    public boolean staticTokens() {
        return settings.staticToken().isPresent();
    }

    /**
     * How many requests Graph's throttling counts for one HTTP request: one, or for a {@code $batch} each request
     * inside it (the envelope itself is not throttled; every inner request is evaluated on its own).
     */
    static int throttledRequests(okhttp3.Request request) {
        if (!"POST".equals(request.method()) || !request.url().encodedPath().endsWith("/$batch") || request.body() == null) {
            return 1;
        }
        try {
            okio.Buffer buffer = new okio.Buffer();
            request.body().writeTo(buffer);
            com.fasterxml.jackson.databind.JsonNode inner = BATCH_JSON.readTree(buffer.readUtf8()).get("requests");
            return inner != null && inner.isArray() && inner.size() > 0 ? inner.size() : 1;
        } catch (java.io.IOException | RuntimeException e) {
            return 1;
        }
    }

    /** One reports pacer per tenant, shared by its scans (Graph's limit is per app per tenant). */
    private final java.util.concurrent.ConcurrentMap<String, TenantPacer> pacers = new java.util.concurrent.ConcurrentHashMap<>();

    /** One CA pacer per tenant, shared by its scans and remediations (reads and writes count together). */
    private final java.util.concurrent.ConcurrentMap<String, TenantPacer> caPacers = new java.util.concurrent.ConcurrentHashMap<>();

    private static final com.fasterxml.jackson.databind.ObjectMapper BATCH_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A client for one scan of one tenant with the default credential set. */
    public GraphSession open(String tenantId) {
        return open(tenantId, null);
    }

    /**
     * A client for one scan of one tenant with the credential set {@code credentialRef} names (null = the default),
     * with its own request counter (Graph's throttling count).
     *
     * @throws MissingCredentialsException no such set, or its material cannot be read
     */
    public GraphSession open(String tenantId, String credentialRef) {
        AtomicInteger counter = new AtomicInteger();
        OkHttpClient http = base.newBuilder()
                .addNetworkInterceptor(chain -> {
                    counter.addAndGet(throttledRequests(chain.request()));
                    return chain.proceed(chain.request());
                })
                .build();
        AuthenticationProvider auth = provider(tenantId, credentialRef);
        BaseGraphRequestAdapter adapter = new BaseGraphRequestAdapter(auth, settings.baseUrl(), http);
        adapter.setBaseUrl(settings.baseUrl());
        GraphServiceClient client = new GraphServiceClient(adapter);
        return new GraphSession(tenantId, client, counter,
                pacers.computeIfAbsent(tenantId.toLowerCase(Locale.ROOT), t -> TenantPacer.reports(settings.reportsLimit())),
                caPacers.computeIfAbsent(tenantId.toLowerCase(Locale.ROOT),
                        t -> TenantPacer.conditionalAccess(settings.caInterval())));
    }

    /**
     * The application permissions the tenant granted the app, from the {@code roles} claim of the app-only token the
     * credential returns for that tenant (azure-identity caches it; the same token the requests carry). Empty when the
     * token is not a JWT whose payload can be read (a Graph stand-in's static token): then only Graph's 403 tells.
     * The token itself is never logged or kept.
     */
    public java.util.Optional<Set<String>> grantedRoles(String tenantId) {
        return grantedRoles(tenantId, null);
    }

    /** As {@link #grantedRoles(String)} with the credential set {@code credentialRef} names. */
    public java.util.Optional<Set<String>> grantedRoles(String tenantId, String credentialRef) {
        return rolesOf(token(tenantId, credentialRef));
    }

    /**
     * The bearer token the tenant's requests carry (azure-identity's, cached by it; or the static one). For the
     * access check only: it is never logged or kept.
     *
     * @throws MissingCredentialsException no such set, or its material cannot be read
     * @throws RuntimeException            Entra refused the token request (azure-identity's exception)
     */
    public String token(String tenantId, String credentialRef) {
        AuthenticationProvider auth = provider(tenantId, credentialRef);
        if (!(auth instanceof BaseBearerTokenAuthenticationProvider bearer)) {
            return null;
        }
        return bearer.getAccessTokenProvider().getAuthorizationToken(URI.create(settings.baseUrl()), Map.of());
    }

    /**
     * Drops the cached credential of a tenant and set (Entra rejected it): the next scan builds it again from the
     * current material instead of reusing azure-identity's state.
     */
    public void forget(String tenantId, String credentialRef) {
        providers.remove(key(tenantId, credentialRef));
    }

    private String key(String tenantId, String credentialRef) {
        String set = credentialRef == null || credentialRef.isBlank() ? CredentialSet.DEFAULT : credentialRef.trim();
        return tenantId.toLowerCase(Locale.ROOT) + "|" + set.toLowerCase(Locale.ROOT);
    }

    /** The {@code roles} claim of a JWT's payload (its signature is Graph's business, not ours); empty if unreadable. */
    public static java.util.Optional<Set<String>> rolesOf(String jwt) {
        if (jwt == null) {
            return java.util.Optional.empty();
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return java.util.Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode payload = BATCH_JSON.readTree(java.util.Base64.getUrlDecoder()
                    .decode(parts[1]));
            com.fasterxml.jackson.databind.JsonNode roles = payload == null ? null : payload.get("roles");
            Set<String> granted = new java.util.TreeSet<>();
            if (roles != null && roles.isArray()) {
                roles.forEach(r -> granted.add(r.asText()));
            }
            return java.util.Optional.of(Set.copyOf(granted));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The provider for a tenant and set, rebuilt when the set's material changed since it was built (a rotated secret
     * file or certificate takes effect on the next scan, without a restart).
     */
    private AuthenticationProvider provider(String tenantId, String credentialRef) {
        if (settings.staticToken().isPresent()) {
            // Graph stand-ins only: one static token whatever the ref
            return providers.computeIfAbsent(key(tenantId, null), k -> new Cached("static",
                    new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(
                            settings.staticToken().get().replace("{tenantId}", tenantId))))).provider();
        }
        CredentialSet set = credentials.resolve(credentialRef).orElseThrow(() -> new MissingCredentialsException(
                "no credential set named '" + credentialRef + "' is configured (configure mfagov.graph.credentials.\""
                        + credentialRef + "\".client-id and one of client-secret, client-secret-file, certificate-path, "
                        + "federated-token-file, or correct the tenant's credentialRef)"));
        CredentialMaterial material = CredentialMaterial.read(set, credentials);
        String key = key(tenantId, credentialRef);
        Cached cached = providers.get(key);
        if (cached != null && cached.fingerprint().equals(material.fingerprint())) {
            return cached.provider();
        }
        Cached fresh = new Cached(material.fingerprint(), new AzureIdentityAuthenticationProvider(
                new CachedTokenCredential(material.credential(tenantId)), allowedHosts, SCOPE));
        providers.put(key, fresh);
        return fresh.provider();
    }

    /** No credentials configured: every scan is FAILED with this reason. */
    public static final class MissingCredentialsException extends IllegalStateException {
        public MissingCredentialsException(String message) {
            super(message);
        }
    }

    /** A fixed bearer token for any host (Graph stand-ins only). */
    private record StaticTokenProvider(String token) implements AccessTokenProvider {
        @Override
        public String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
            return token;
        }

        @Override
        public AllowedHostsValidator getAllowedHostsValidator() {
            return new AllowedHostsValidator();
        }

        @Override
        public String toString() {
            return "StaticTokenProvider[***]";
        }
    }
}
