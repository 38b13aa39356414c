package io.mfagov.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Access tokens shaped exactly like Microsoft Entra ID's (Microsoft identity platform, "Access token claims
 * reference"), signed with {@link TestTokens}' key, and a test resource configuring a service the way
 * docs/security.md configures it for Entra: any issuer at the OIDC layer, the tenant and issuer checked by
 * service-support, both audiences (the App ID URI of v1 tokens and the client id of v2 tokens) accepted.
 * <ul>
 * <li>v1 ({@code ver} 1.0): {@code iss} {@code https://sts.windows.net/<tid>/}, {@code aud} the App ID URI,
 * {@code appid}/{@code appidacr}, users with {@code upn}/{@code unique_name}, header with {@code x5t} and {@code kid};
 * <li>v2 ({@code ver} 2.0): {@code iss} {@code https://login.microsoftonline.com/<tid>/v2.0}, {@code aud} the
 * client id, {@code azp}/{@code azpacr}, users with {@code preferred_username}, header with {@code kid};
 * <li>both: {@code oid}, {@code tid}, {@code sub}, {@code roles} (app roles), {@code scp} for delegated (user)
 * tokens, {@code idtyp: app} for app-only tokens (client credentials, e.g. a PSA).
 * </ul>
 */
public class EntraTestTokens implements QuarkusTestResourceLifecycleManager {

    /** The MSP's own tenant: the one the services accept. */
    public static final String MSP_TENANT = "3c7c1f4e-5b8a-4d2e-9f6a-1b2c3d4e5f60";
    /** Another tenant (a customer's, or an attacker's). */
    public static final String OTHER_TENANT = "8d2a6b1c-4e3f-4a5b-8c7d-9e0f1a2b3c4d";
    /** The API's app registration: its client (application) id, the audience of v2 tokens. */
    public static final String API_CLIENT_ID = "6e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    /** The API's App ID URI (Expose an API), the audience of v1 tokens. */
    public static final String APP_ID_URI = "api://mfagov";
    /** A client application calling the API (a PSA, or the portal a user signs in to). */
    public static final String CLIENT_APP_ID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.public-key", TestTokens.publicKey(),
                "quarkus.oidc.token.issuer", "any",
                "quarkus.oidc.token.audience", APP_ID_URI + "," + API_CLIENT_ID,
                "mfagov.security.entra.tenant-id", MSP_TENANT);
    }

    @Override
    public void stop() {
        // the key lives as long as the JVM (see TestTokens)
    }

    /** A v1 access token of a signed-in user (delegated: {@code scp}), as Entra issues without {@code requestedAccessTokenVersion}. */
    public static Token v1User(String oid, String upn) {
        Token t = new Token("1.0", oid);
        t.claims.put("aud", APP_ID_URI);
        t.claims.put("iss", "https://sts.windows.net/" + MSP_TENANT + "/");
        t.claims.put("acr", "1");
        t.claims.put("aio", "AVQAq/8TAAAA");
        t.claims.put("amr", List.of("pwd", "mfa"));
        t.claims.put("appid", CLIENT_APP_ID);
        t.claims.put("appidacr", "0");
        t.claims.put("family_name", "Admin");
        t.claims.put("given_name", "Ada");
        t.claims.put("ipaddr", "203.0.113.7");
        t.claims.put("name", "Ada Admin");
        t.claims.put("scp", "user_impersonation");
        t.claims.put("unique_name", upn);
        t.claims.put("upn", upn);
        t.header.put("x5t", "kWbkaa6qs8wsTnBwiiNYOhHbnAw");
        return t;
    }

    /** A v2 access token of a signed-in user, as Entra issues with {@code requestedAccessTokenVersion: 2}. */
    public static Token v2User(String oid, String preferredUsername) {
        Token t = v2(oid, "AWQAm/8TAAAA", "0");
        t.claims.put("name", "Alan Approver");
        t.claims.put("preferred_username", preferredUsername);
        t.claims.put("scp", "access_as_user");
        return t;
    }

    /** A v2 app-only token (client credentials: a PSA integration), roles from app role assignments, no {@code scp}. */
    public static Token v2App(String servicePrincipalOid) {
        Token t = v2(servicePrincipalOid, "E2ZgYJh+/8TAAAA", "1");
        t.claims.put("idtyp", "app");
        return t;
    }

    private static Token v2(String oid, String aio, String azpacr) {
        Token t = new Token("2.0", oid);
        t.claims.put("aud", API_CLIENT_ID);
        t.claims.put("iss", "https://login.microsoftonline.com/" + MSP_TENANT + "/v2.0");
        t.claims.put("aio", aio);
        t.claims.put("azp", CLIENT_APP_ID);
        t.claims.put("azpacr", azpacr);
        return t;
    }

    /** An Entra-shaped token; change claims before {@link #sign()}. */
    public static final class Token {

        private final Map<String, Object> header = new LinkedHashMap<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();

        private Token(String ver, String oid) {
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.put("kid", "kWbkaa6qs8wsTnBwiiNYOhHbnAw");
            long now = Instant.now().getEpochSecond();
            claims.put("iat", now - 60);
            claims.put("nbf", now - 60);
            claims.put("exp", now + 3600);
            claims.put("oid", oid);
            claims.put("rh", "0.AXQA-opaque.");
            claims.put("sub", "sub-" + oid.substring(0, 8) + "-pairwise");
            claims.put("tid", MSP_TENANT);
            claims.put("uti", UUID.randomUUID().toString().substring(0, 22));
            claims.put("ver", ver);
        }

        public Token roles(String... roles) {
            claims.put("roles", List.of(roles));
            return this;
        }

        public Token audience(String aud) {
            claims.put("aud", aud);
            return this;
        }

        public Token issuer(String iss) {
            claims.put("iss", iss);
            return this;
        }

        public Token tenant(String tid) {
            claims.put("tid", tid);
            return this;
        }

        /** Claimed by another tenant altogether: its {@code tid} and its issuer (of this token's version). */
        public Token ofTenant(String tid) {
            String iss = (String) claims.get("iss");
            claims.put("iss", iss.replace(MSP_TENANT, tid));
            claims.put("tid", tid);
            return this;
        }

        public String sign() {
            return TestTokens.signed(json(header), json(claims));
        }

        /** {@code Bearer <token>}, for an Authorization header. */
        public String bearer() {
            return "Bearer " + sign();
        }

        private static String json(Map<String, Object> values) {
            return values.entrySet().stream().map(e -> quote(e.getKey()) + ":" + value(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }

        private static String value(Object value) {
            if (value instanceof Number) {
                return value.toString();
            }
            if (value instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                list.forEach(v -> items.add(value(v)));
                return "[" + String.join(",", items) + "]";
            }
            return quote(String.valueOf(value));
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
