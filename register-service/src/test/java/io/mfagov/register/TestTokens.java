package io.mfagov.register;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Tests sign their own RS256 tokens: a key pair generated per test JVM, its public key handed to
 * quarkus-oidc as {@code quarkus.oidc.public-key}. No identity provider. The private key is kept in
 * a system property so the test classes (another class loader) sign with the same key.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://tokens.test.mfagov";
    private static final String PRIVATE = "mfagov.test.jwt.private";
    private static final String PUBLIC = "mfagov.test.jwt.public";

    @Override
    public Map<String, String> start() {
        ensureKeys();
        return Map.of("quarkus.oidc.public-key", System.getProperty(PUBLIC),
                "quarkus.oidc.token.issuer", ISSUER);
    }

    @Override
    public void stop() {
    }

    private static synchronized void ensureKeys() {
        if (System.getProperty(PRIVATE) == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                System.setProperty(PUBLIC, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
                System.setProperty(PRIVATE, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A bearer token for {@code user} with Entra-style app roles in the {@code roles} claim. */
    public static String token(String user, String... roles) {
        ensureKeys();
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(System.getProperty(PRIVATE))));
            return Jwt.issuer(ISSUER).subject(user).preferredUserName(user).claim("roles", Set.of(roles))
                    .expiresIn(600).sign(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed by a key the service does not trust. */
    public static String foreignToken(String user, String... roles) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER).subject(user).preferredUserName(user).claim("roles", Set.of(roles))
                    .expiresIn(600).sign(generator.generateKeyPair().getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
