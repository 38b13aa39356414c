package io.mfagov.graphsim.internal;

import io.mfagov.graphsim.SimulatorConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.RequestCounters;
import io.mfagov.graphsim.SimClock;
import io.mfagov.graphsim.TenantRegistry;
import io.mfagov.graphsim.model.Tenant;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code POST /{tenant}/oauth2/v2.0/token}: OAuth2 client credentials with a client secret, Entra-style errors. */
public final class TokenEndpoint {

    private final SimulatorConfig.MspApp mspApp;

    /** A token-endpoint answer. */
    public record Answer(int status, ObjectNode body) {
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final TenantRegistry tenants;
    private final TokenService tokens;
    private final RequestCounters counters;
    private final SimClock clock;
    private final Duration lifetime;

    public TokenEndpoint(TenantRegistry tenants, TokenService tokens, RequestCounters counters, SimClock clock, Duration lifetime,
            SimulatorConfig.MspApp mspApp) {
        this.mspApp = mspApp;
        this.tenants = tenants;
        this.tokens = tokens;
        this.counters = counters;
        this.clock = clock;
        this.lifetime = lifetime;
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
        boolean viaMspApp = mspApp != null && mspApp.clientId().equalsIgnoreCase(clientId);
        if (!viaMspApp && !t.clientId().equalsIgnoreCase(clientId)) {
            return error(400, "unauthorized_client", 700016, "Application with identifier '" + clientId + "' was not found in the directory '"
                    + t.displayName() + "'. This can happen if the application has not been installed by the administrator of the tenant "
                    + "or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
        }
        String secret = form.get("client_secret");
        if (secret == null) {
            if (form.containsKey("client_assertion")) {
                return error(401, "invalid_client", 700027, "Client assertion failed signature validation: the simulator "
                        + "accepts client secrets only.");
            }
            return error(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
        }
        String expected = viaMspApp ? mspApp.clientSecret() : t.simulatorClientSecret();
        if (!MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            return error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request "
                    + "is the client secret value, not the client secret ID, for a secret added to app '" + clientId + "'.");
        }
        ObjectNode ok = Json.obj();
        ok.put("token_type", "Bearer");
        long secs = Math.max(1, lifetime.toSeconds() - 1);
        ok.put("expires_in", secs);
        ok.put("ext_expires_in", secs);
        ok.put("access_token", tokens.issue(t.id(), viaMspApp ? mspApp.clientId() : t.clientId(), lifetime, t.grantedPermissions()));
        return new Answer(200, ok);
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
