package io.mfagov.scanner.graph;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
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
 * <p>Authentication: azure-identity (client secret or certificate, one credential per tenant, tokens cached by it)
 * or, for Graph stand-ins only, a static bearer token.
 */
public final class GraphClientFactory {

    private static final String SCOPE = "https://graph.microsoft.com/.default";
    private static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com";

    private final ScannerSettings settings;
    private final OkHttpClient base;
    private final String[] allowedHosts;
    private final Map<String, AuthenticationProvider> providers = new ConcurrentHashMap<>();

    public GraphClientFactory(ScannerSettings settings) {
        this(settings, List.of());
    }

    /**
     * With extra OkHttp application interceptors, run after the SDK's middleware (closest to the wire, before
     * OkHttp's transparent gzip): tracing, or tests that alter Graph's answers.
     */
    public GraphClientFactory(ScannerSettings settings, List<Interceptor> interceptors) {
        this.settings = settings;
        if (settings.staticToken().isEmpty() && settings.clientId().isEmpty()) {
            // checked lazily per scan too, so a service without credentials still starts and reports FAILED
        }
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

    /** A client for one scan of one tenant, with its own request counter (Graph's throttling count). */
    public GraphSession open(String tenantId) {
        AtomicInteger counter = new AtomicInteger();
        OkHttpClient http = base.newBuilder()
                .addNetworkInterceptor(chain -> {
                    counter.addAndGet(throttledRequests(chain.request()));
                    return chain.proceed(chain.request());
                })
                .build();
        AuthenticationProvider auth = providers.computeIfAbsent(tenantId.toLowerCase(Locale.ROOT), this::provider);
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
        AuthenticationProvider auth = providers.computeIfAbsent(tenantId.toLowerCase(Locale.ROOT), this::provider);
        if (!(auth instanceof BaseBearerTokenAuthenticationProvider bearer)) {
            return java.util.Optional.empty();
        }
        String token = bearer.getAccessTokenProvider().getAuthorizationToken(URI.create(settings.baseUrl()), Map.of());
        return rolesOf(token);
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

    private AuthenticationProvider provider(String tenantId) {
        if (settings.staticToken().isPresent()) {
            String token = settings.staticToken().get().replace("{tenantId}", tenantId);
            return new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(token));
        }
        String clientId = settings.clientId().orElseThrow(() -> new MissingCredentialsException(
                "no Graph credentials configured: set mfagov.graph.client-id with client-secret or certificate-path"));
        TokenCredential credential;
        boolean custom = !DEFAULT_AUTHORITY.equalsIgnoreCase(settings.authorityHost());
        if (settings.clientSecret().isPresent()) {
            ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder().tenantId(tenantId).clientId(clientId)
                    .clientSecret(settings.clientSecret().get()).authorityHost(settings.authorityHost());
            if (custom) {
                b.disableInstanceDiscovery();
            }
            credential = b.build();
        } else if (settings.certificatePath().isPresent()) {
            String path = settings.certificatePath().get();
            ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder().tenantId(tenantId)
                    .clientId(clientId).authorityHost(settings.authorityHost());
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".pfx") || lower.endsWith(".p12")) {
                b.pfxCertificate(path).clientCertificatePassword(settings.certificatePassword().orElse(""));
            } else {
                b.pemCertificate(path);
            }
            if (custom) {
                b.disableInstanceDiscovery();
            }
            credential = b.build();
        } else {
            throw new MissingCredentialsException(
                    "no Graph credentials configured: set mfagov.graph.client-secret or mfagov.graph.certificate-path");
        }
        return new AzureIdentityAuthenticationProvider(credential, allowedHosts, SCOPE);
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
