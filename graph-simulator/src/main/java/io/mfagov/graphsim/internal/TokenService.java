package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.SimClock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Access tokens: JWT-shaped, HMAC-signed with a key generated at start (so they die with the simulator), bound to a
 * tenant ({@code tid}). Also accepts static tokens {@code sim-static:<tenantId>} when enabled.
 */
public final class TokenService {

    public static final String STATIC_PREFIX = "sim-static:";

    /** Result of validating a bearer token. */
    /**
     * Result of validating a bearer token: the tenant, the app id and the {@code roles} claim (null for a static token:
     * the tenant's granted permissions at request time apply).
     */
    public record Validation(String tenantId, String error, String appId, Set<String> roles) {
        Validation(String tenantId, String error) {
            this(tenantId, error, null, null);
        }

        public boolean ok() {
            return error == null;
        }
    }

    private final byte[] key = new byte[32];
    private final SimClock clock;
    private final boolean staticTokens;

    public TokenService(SimClock clock, boolean staticTokens) {
        new SecureRandom().nextBytes(key);
        this.clock = clock;
        this.staticTokens = staticTokens;
    }

    /** A token whose {@code roles} claim lists exactly {@code roles} (the app's granted application permissions). */
    public String issue(String tenantId, String appId, Duration ttl, Collection<String> roles) {
        return issue(tenantId, appId, ttl, roles, "1");
    }

    /**
     * As {@link #issue(String, String, Duration, Collection)}, with {@code appidacr}: how the app authenticated
     * ("1" client secret, "2" certificate or client assertion), as in Entra's v1 access tokens.
     */
    public String issue(String tenantId, String appId, Duration ttl, Collection<String> roles, String appidacr) {
        Instant now = clock.now();
        ObjectNode h = Json.obj();
        h.put("typ", "JWT");
        h.put("alg", "HS256");
        h.put("kid", "graph-simulator");
        ObjectNode p = Json.obj();
        p.put("aud", "https://graph.microsoft.com");
        p.put("iss", "https://sts.windows.net/" + tenantId + "/");
        p.put("iat", now.getEpochSecond());
        p.put("nbf", now.getEpochSecond());
        p.put("exp", now.plus(ttl).getEpochSecond());
        p.put("appid", appId);
        p.put("appidacr", appidacr);
        p.put("idtyp", "app");
        p.put("tid", tenantId);
        p.put("oid", UUID.nameUUIDFromBytes((tenantId + appId).getBytes(StandardCharsets.UTF_8)).toString());
        p.set("roles", Json.arr(new TreeSet<>(roles)));
        p.put("jti", UUID.randomUUID().toString());
        p.put("sim", "graph-simulator: valid only against this simulator instance");
        String unsigned = b64(Json.bytes(h)) + "." + b64(Json.bytes(p));
        return unsigned + "." + b64(hmac(unsigned));
    }

    public Validation validate(String token) {
        if (token == null || token.isEmpty()) {
            return new Validation(null, "Access token is empty.");
        }
        if (token.startsWith(STATIC_PREFIX)) {
            if (!staticTokens) {
                return new Validation(null, "Static simulator tokens are disabled.");
            }
            return new Validation(token.substring(STATIC_PREFIX.length()), null, null, null);
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return new Validation(null, "IDX14100: JWT is not well formed, there are no dots (.).");
        }
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return new Validation(null, "Access token validation failure. Invalid signature.");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            return new Validation(null, "Access token validation failure. Invalid signature.");
        }
        JsonNode p;
        try {
            p = Json.parse(Base64.getUrlDecoder().decode(parts[1]));
        } catch (RuntimeException e) {
            return new Validation(null, "Access token validation failure.");
        }
        if (p.path("exp").asLong() <= clock.now().getEpochSecond()) {
            return new Validation(p.path("tid").asText(null), "Lifetime validation failed, the token is expired.");
        }
        Set<String> roles = new LinkedHashSet<>();
        p.path("roles").forEach(r -> roles.add(r.asText()));
        return new Validation(p.path("tid").asText(null), null, p.path("appid").asText(null), Set.copyOf(roles));
    }

    private byte[] hmac(String s) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(s.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
