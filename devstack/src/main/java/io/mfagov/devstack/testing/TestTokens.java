package io.mfagov.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An OIDC token issuer for tests, without an identity provider: an RSA key pair per test JVM whose
 * public key is handed to quarkus-oidc ({@code quarkus.oidc.public-key}), and RS256 bearer tokens
 * signed with it, carrying Entra-style app roles in the {@code roles} claim. The private key lives
 * in a system property, so test classes (loaded by another class loader) sign with the same key.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://tokens.test.mfagov";
    /** The audience every test token carries and every service under test requires. */
    public static final String AUDIENCE = "api://mfagov-test";
    private static final String PRIVATE = "mfagov.test.jwt.private";
    private static final String PUBLIC = "mfagov.test.jwt.public";

    @Override
    public Map<String, String> start() {
        ensureKeys();
        return Map.of("quarkus.oidc.public-key", System.getProperty(PUBLIC),
                "quarkus.oidc.token.issuer", ISSUER,
                "quarkus.oidc.token.audience", AUDIENCE);
    }

    @Override
    public void stop() {
        // the key pair lives as long as the JVM, so every Quarkus app of the run trusts the same tokens
    }

    /** A bearer token for {@code user} with these app roles, valid for ten minutes. */
    public static String token(String user, String... roles) {
        ensureKeys();
        return sign(privateKey(System.getProperty(PRIVATE)), ISSUER, user, roles);
    }

    /** A well-formed token signed by a key the service does not trust. */
    public static String foreignToken(String user, String... roles) {
        return sign(newKeyPair().getPrivate(), ISSUER, user, roles);
    }

    /** A token signed by the trusted key but naming another issuer. */
    public static String tokenFromIssuer(String issuer, String user, String... roles) {
        ensureKeys();
        return sign(privateKey(System.getProperty(PRIVATE)), issuer, user, roles);
    }

    /**
     * A token with exactly this JOSE header and these claims (JSON objects, written by the caller), signed RS256 by
     * the trusted key: for tokens shaped like a real identity provider's (see {@code EntraTestTokens}).
     */
    public static String signed(String headerJson, String claimsJson) {
        ensureKeys();
        return signRaw(privateKey(System.getProperty(PRIVATE)), headerJson, claimsJson);
    }

    /** The trusted public key (base64 X.509), as handed to {@code quarkus.oidc.public-key}. */
    public static String publicKey() {
        ensureKeys();
        return System.getProperty(PUBLIC);
    }

    private static String sign(PrivateKey key, String issuer, String user, String... roles) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":" + quote(issuer) + ",\"aud\":" + quote(AUDIENCE) + ",\"sub\":" + quote(user)
                + ",\"oid\":" + quote(user) + ",\"preferred_username\":" + quote(user) + ",\"upn\":" + quote(user)
                + ",\"roles\":[" + Stream.of(roles).map(TestTokens::quote).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + now + ",\"exp\":" + (now + 600) + "}";
        return signRaw(key, header, payload);
    }

    private static String signRaw(PrivateKey key, String header, String payload) {
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static synchronized void ensureKeys() {
        if (System.getProperty(PRIVATE) == null) {
            KeyPair pair = newKeyPair();
            System.setProperty(PUBLIC, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            System.setProperty(PRIVATE, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey(String encoded) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
