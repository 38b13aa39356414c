package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.AppDirectory;
import io.mfagov.graphsim.RequestCounters;
import io.mfagov.graphsim.SimClock;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.TenantRegistry;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.model.Tenant;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /{tenant}/oauth2/v2.0/token}: OAuth2 client credentials as Entra answers them — the app must be present
 * in the tenant (its own app, the MSP app, an app registered or consented there), then it proves itself with a client
 * secret, a certificate-signed client assertion or a federated (workload identity) assertion. Errors carry Entra's
 * AADSTS codes and wording.
 */
public final class TokenEndpoint {

    /** A token-endpoint answer. */
    public record Answer(int status, ObjectNode body) {
    }

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String CERT_DOCS = "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";
    private static final String FIC_DOCS = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";
    /** Clock skew allowed on an assertion's nbf (Entra tolerates a few minutes). */
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter KEY_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss").withZone(ZoneOffset.UTC);

    private final TenantRegistry tenants;
    private final AppDirectory apps;
    private final TokenService tokens;
    private final RequestCounters counters;
    private final SimClock clock;
    private final Duration lifetime;
    private final SimulatorConfig.MspApp mspApp;

    public TokenEndpoint(TenantRegistry tenants, AppDirectory apps, TokenService tokens, RequestCounters counters, SimClock clock,
                         Duration lifetime, SimulatorConfig.MspApp mspApp) {
        this.tenants = tenants;
        this.apps = apps;
        this.tokens = tokens;
        this.counters = counters;
        this.clock = clock;
        this.lifetime = lifetime;
        this.mspApp = mspApp;
    }

    /** How the client proved itself: {@code appidacr} 1 = secret, 2 = certificate or assertion. */
    private record Proof(String appidacr, Answer error) {
        static Proof ok(String acr) {
            return new Proof(acr, null);
        }

        static Proof failed(Answer a) {
            return new Proof(null, a);
        }
    }

    public Answer handle(String tenantSegment, Map<String, String> form) {
        Optional<Tenant> found = tenants.find(tenantSegment);
        counters.count(found.map(Tenant::id).orElse(null), "token");
        if (found.isEmpty()) {
            return error(400, "invalid_request", 90002, "Tenant '" + tenantSegment + "' not found. Check to make sure you "
                    + "have the correct tenant ID and are signing into the correct cloud. Check with your subscription "
                    + "administrator, this may happen if there are no active subscriptions for the tenant.");
        }
        Tenant t = found.get();
        String grant = form.get("grant_type");
        if (grant == null) {
            return error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        }
        if (!"client_credentials".equals(grant)) {
            return error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '" + grant + "'.");
        }
        String clientId = form.get("client_id");
        if (clientId == null || clientId.isBlank()) {
            return error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
        }
        String scope = form.get("scope");
        if (scope == null || !scope.contains("/.default")) {
            return error(400, "invalid_scope", 1002012, "The provided value for scope " + scope
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }
        Set<String> roles = presence(t, clientId);
        if (roles == null) {
            return error(400, "unauthorized_client", 700016, "Application with identifier '" + clientId + "' was not found in the directory '"
                    + t.displayName() + "'. This can happen if the application has not been installed by the administrator of the tenant "
                    + "or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
        }
        Proof proof;
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        if (secret != null) {
            proof = secret(t, clientId, secret);
        } else if (assertion != null) {
            if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
                return error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_assertion_type'.");
            }
            proof = assertion(t, tenantSegment, clientId, assertion);
        } else {
            return error(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
        }
        if (proof.error() != null) {
            return proof.error();
        }
        ObjectNode ok = Json.obj();
        ok.put("token_type", "Bearer");
        long secs = Math.max(1, lifetime.toSeconds() - 1);
        ok.put("expires_in", secs);
        ok.put("ext_expires_in", secs);
        ok.put("access_token", tokens.issue(t.id(), canonicalClientId(t, clientId), lifetime, roles, proof.appidacr()));
        return new Answer(200, ok);
    }

    /**
     * Whether the app has a service principal in the tenant, and with which application permissions; null = not present
     * (AADSTS700016). Explicit consent wins; then the tenant's own app and the MSP app (the tenant's granted set), then
     * the app's home tenant (present, no permissions without consent).
     */
    private Set<String> presence(Tenant t, String clientId) {
        if (t.consentRevoked(clientId)) {
            return null;
        }
        Set<String> consented = t.consentOf(clientId);
        if (consented != null) {
            return consented;
        }
        if (t.clientId().equalsIgnoreCase(clientId) || (mspApp != null && mspApp.clientId().equalsIgnoreCase(clientId))) {
            return t.grantedPermissions();
        }
        AppRegistration app = apps.get(clientId);
        if (app != null && t.id().equalsIgnoreCase(app.homeTenantId())) {
            return Set.of();
        }
        return null;
    }

    private String canonicalClientId(Tenant t, String clientId) {
        if (t.clientId().equalsIgnoreCase(clientId)) {
            return t.clientId();
        }
        if (mspApp != null && mspApp.clientId().equalsIgnoreCase(clientId)) {
            return mspApp.clientId();
        }
        AppRegistration app = apps.get(clientId);
        return app != null ? app.clientId() : clientId;
    }

    // ---- client secret ---------------------------------------------------------------------------------------

    private Proof secret(Tenant t, String clientId, String secret) {
        boolean expiredMatch = false;
        if (t.clientId().equalsIgnoreCase(clientId) && same(secret, t.simulatorClientSecret())) {
            return Proof.ok("1");
        }
        if (mspApp != null && mspApp.clientId().equalsIgnoreCase(clientId) && same(secret, mspApp.clientSecret())) {
            return Proof.ok("1");
        }
        AppRegistration app = apps.get(clientId);
        if (app != null) {
            Instant now = clock.now();
            for (AppRegistration.Secret s : app.secrets()) {
                if (same(secret, s.value())) {
                    if (!s.expiredAt(now)) {
                        return Proof.ok("1");
                    }
                    expiredMatch = true;
                }
            }
        }
        if (expiredMatch) {
            return Proof.failed(error(401, "invalid_client", 7000222, "The provided client secret keys for app '" + clientId
                    + "' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or "
                    + "consider using certificate credentials for added security: https://aka.ms/certCreds."));
        }
        return Proof.failed(error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request "
                + "is the client secret value, not the client secret ID, for a secret added to app '" + clientId + "'."));
    }

    private static boolean same(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ---- client assertions -----------------------------------------------------------------------------------

    /** A parsed compact JWS. */
    private record Jwt(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {
        static Jwt parse(String s) {
            String[] p = s.split("\\.", -1);
            if (p.length != 3) {
                return null;
            }
            try {
                Base64.Decoder d = Base64.getUrlDecoder();
                JsonNode h = Json.MAPPER.readTree(d.decode(p[0]));
                JsonNode c = Json.MAPPER.readTree(d.decode(p[1]));
                if (h == null || !h.isObject() || c == null || !c.isObject()) {
                    return null;
                }
                return new Jwt(h, c, (p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII), d.decode(p[2]));
            } catch (Exception e) {
                return null;
            }
        }

        String header(String name) {
            return header.path(name).isTextual() ? header.get(name).asText() : null;
        }

        String claim(String name) {
            return claims.path(name).isTextual() ? claims.get(name).asText() : null;
        }

        List<String> audiences() {
            List<String> out = new ArrayList<>();
            JsonNode a = claims.path("aud");
            if (a.isTextual()) {
                out.add(a.asText());
            } else {
                a.forEach(x -> out.add(x.asText()));
            }
            return out;
        }
    }

    private Proof assertion(Tenant t, String tenantSegment, String clientId, String assertion) {
        Jwt jwt = Jwt.parse(assertion);
        if (jwt == null) {
            return Proof.failed(error(400, "invalid_request", 50027, "JWT token is invalid or malformed."));
        }
        String x5t = jwt.header("x5t");
        String x5tS256 = jwt.header("x5t#S256");
        AppRegistration app = apps.get(clientId);
        if (x5t != null || x5tS256 != null) {
            return certificateAssertion(t, tenantSegment, clientId, app, jwt, x5t, x5tS256);
        }
        return federatedAssertion(clientId, app, jwt);
    }

    private Proof certificateAssertion(Tenant t, String tenantSegment, String clientId, AppRegistration app, Jwt jwt,
                                       String x5t, String x5tS256) {
        AppRegistration.Certificate cert = app == null ? null : app.certificateByThumbprint(x5t, x5tS256);
        if (cert == null) {
            String thumb = thumbprintHex(x5t, x5tS256);
            return Proof.failed(error(401, "invalid_client", 700027, "The certificate with identifier used to sign the client assertion is "
                    + "not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '" + thumb
                    + "', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '"
                    + clientId + "'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the "
                    + "corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http "
                    + "to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/" + clientId + "']."));
        }
        String found = "Found key 'Start=" + KEY_DATE.format(cert.startDateTime()) + ", End=" + KEY_DATE.format(cert.endDateTime()) + "'";
        String thumb = x5tS256 != null ? cert.sha256Hex() : cert.sha1Hex();
        if (!verify(jwt, cert.certificate().getPublicKey())) {
            return Proof.failed(error(401, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - The provided "
                    + "signature value did not match the expected signature value., Thumbprint of key used by client: '" + thumb + "', "
                    + found + "]"));
        }
        if (!clock.now().isBefore(cert.endDateTime())) {
            return Proof.failed(error(401, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - The key used "
                    + "is expired., Thumbprint of key used by client: '" + thumb + "', " + found + "]"));
        }
        if (!clientId.equalsIgnoreCase(jwt.claim("iss")) || !clientId.equalsIgnoreCase(jwt.claim("sub"))) {
            return Proof.failed(error(401, "invalid_client", 700021, "Client assertion application identifier doesn't match "
                    + "'client_id' parameter. " + CERT_DOCS));
        }
        if (jwt.audiences().stream().noneMatch(a -> tokenEndpointAudience(a, t, tenantSegment))) {
            return Proof.failed(error(401, "invalid_client", 700023, "Client assertion audience claim does not match Realm issuer. "
                    + CERT_DOCS));
        }
        Answer time = timeWindow(jwt);
        return time != null ? Proof.failed(time) : Proof.ok("2");
    }

    /**
     * Entra accepts the token endpoint URL as the audience of a certificate assertion; clients build it from the
     * authority they were given (tenant id or domain, v2.0 or v1 path, any host/port of this authority).
     */
    private static boolean tokenEndpointAudience(String aud, Tenant t, String tenantSegment) {
        String path;
        try {
            path = URI.create(aud).getPath();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (path == null) {
            return false;
        }
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (String seg : List.of(t.id(), t.domain(), tenantSegment)) {
            String s = "/" + seg.toLowerCase(Locale.ROOT);
            if (p.equals(s + "/oauth2/v2.0/token") || p.equals(s + "/oauth2/token") || p.equals(s + "/v2.0")) {
                return true;
            }
        }
        return false;
    }

    private Proof federatedAssertion(String clientId, AppRegistration app, Jwt jwt) {
        String iss = jwt.claim("iss");
        String sub = jwt.claim("sub");
        List<AppRegistration.FederatedCredential> byIssuer = app == null ? List.of()
                : app.federatedCredentials().stream().filter(c -> c.issuer().equals(iss)).toList();
        if (byIssuer.isEmpty()) {
            return Proof.failed(error(401, "invalid_client", 700211, "No matching federated identity record found for presented assertion "
                    + "issuer '" + iss + "'. Please check your federated identity credential Subject, Audience and Issuer against the "
                    + "presented assertion. " + FIC_DOCS));
        }
        List<AppRegistration.FederatedCredential> bySubject = byIssuer.stream().filter(c -> c.subject().equals(sub)).toList();
        if (bySubject.isEmpty()) {
            return Proof.failed(error(401, "invalid_client", 700213, "No matching federated identity record found for presented assertion "
                    + "subject '" + sub + "'. Check your federated identity credential Subject, Audience and Issuer against the "
                    + "presented assertion. " + FIC_DOCS));
        }
        List<String> auds = jwt.audiences();
        if (bySubject.stream().noneMatch(c -> c.audiences().stream().anyMatch(auds::contains))) {
            return Proof.failed(error(401, "invalid_client", 700212, "No matching federated identity record found for presented assertion "
                    + "audience '" + String.join(",", auds) + "'. Please check your federated identity credential Subject, Audience "
                    + "and Issuer against the presented assertion. " + FIC_DOCS));
        }
        PublicKey key = apps.issuerKey(iss);
        if (key == null || !verify(jwt, key)) {
            return Proof.failed(error(401, "invalid_client", 700027, "Client assertion failed signature validation."));
        }
        Answer time = timeWindow(jwt);
        return time != null ? Proof.failed(time) : Proof.ok("2");
    }

    /**
     * exp/nbf against the wall clock: the client built the assertion with its own (real) clock, and Entra's is real
     * too — a test's manual simulator clock must not make fresh assertions look stale.
     */
    private Answer timeWindow(Jwt jwt) {
        Instant now = Instant.now();
        JsonNode exp = jwt.claims().get("exp");
        JsonNode nbf = jwt.claims().get("nbf");
        Instant expAt = exp != null && exp.canConvertToLong() ? Instant.ofEpochSecond(exp.asLong()) : null;
        Instant nbfAt = nbf != null && nbf.canConvertToLong() ? Instant.ofEpochSecond(nbf.asLong()) : Instant.EPOCH;
        if (expAt == null || !now.isBefore(expAt) || now.plus(SKEW).isBefore(nbfAt)) {
            return error(401, "invalid_client", 700024, "Client assertion is not within its valid time range. Current time: "
                    + PRECISE.format(now) + ", assertion valid from " + PRECISE.format(nbfAt) + ", expiry time of assertion "
                    + (expAt == null ? "(none)" : PRECISE.format(expAt)) + ". " + CERT_DOCS);
        }
        return null;
    }

    /** RS256 or PS256 over the signing input; any other algorithm fails. */
    private static boolean verify(Jwt jwt, PublicKey key) {
        String alg = jwt.header("alg");
        try {
            Signature s;
            if ("RS256".equals(alg)) {
                s = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(alg)) {
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            s.initVerify(key);
            s.update(jwt.signingInput());
            return s.verify(jwt.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String thumbprintHex(String x5t, String x5tS256) {
        try {
            byte[] b = Base64.getUrlDecoder().decode(AppRegistration.normalize(x5tS256 != null ? x5tS256 : x5t));
            return java.util.HexFormat.of().withUpperCase().formatHex(b);
        } catch (IllegalArgumentException e) {
            return x5tS256 != null ? x5tS256 : x5t;
        }
    }

    private Answer error(int status, String error, int code, String description) {
        String trace = UUID.randomUUID().toString();
        String corr = UUID.randomUUID().toString();
        String ts = TS.format(clock.now());
        ObjectNode o = Json.obj();
        o.put("error", error);
        o.put("error_description", "AADSTS" + code + ": " + description + " Trace ID: " + trace + " Correlation ID: " + corr
                + " Timestamp: " + ts);
        o.set("error_codes", Json.F.arrayNode().add(code));
        o.put("timestamp", ts);
        o.put("trace_id", trace);
        o.put("correlation_id", corr);
        o.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        return new Answer(status, o);
    }
}
