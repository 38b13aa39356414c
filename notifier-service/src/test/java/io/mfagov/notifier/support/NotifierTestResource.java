package io.mfagov.notifier.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Generates what must never be a literal in a file: the AES key encrypting destination secrets, and the
 * RSA key pair whose public half verifies the test's bearer tokens (tests sign their own tokens with the
 * private half, see {@link Tokens}). One pair per JVM, handed over through system properties because
 * test resources and tests may live in different class loaders.
 */
public class NotifierTestResource implements QuarkusTestResourceLifecycleManager {

    static final String PRIVATE_KEY_PROPERTY = "mfagov.test.jwt.private-key";
    static final String PUBLIC_KEY_PROPERTY = "mfagov.test.jwt.public-key";

    @Override
    public Map<String, String> start() {
        ensureKeyPair();
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        return Map.of(
                "mfagov.notifier.secret-key", Base64.getEncoder().encodeToString(aes),
                "quarkus.oidc.public-key", System.getProperty(PUBLIC_KEY_PROPERTY));
    }

    static synchronized void ensureKeyPair() {
        if (System.getProperty(PRIVATE_KEY_PROPERTY) != null) {
            return;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            System.setProperty(PRIVATE_KEY_PROPERTY, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            System.setProperty(PUBLIC_KEY_PROPERTY, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}
