package io.mfagov.support.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys: 256 random bits, shown once at creation; only their SHA-256 is stored (a key has full
 * entropy, so a fast hash cannot be brute-forced; a slow KDF would only cost every request).
 */
public final class ApiKeys {

    /** Request header carrying an API key. */
    public static final String HEADER = "X-API-Key";
    /** Prefix of every key, so leaked keys are recognisable by secret scanners. */
    public static final String PREFIX = "mfg_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the key, the form stored and looked up. */
    public static String hash(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
