package io.mfagov.notifier.outbound;

import io.mfagov.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts destination URLs and signing secrets at rest: AES-256-GCM, a random 96-bit nonce per value,
 * the destination id as associated data (a value copied to another row does not decrypt).
 * Stored form: nonce (12 bytes) followed by ciphertext and tag.
 */
@ApplicationScoped
public class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(NotifierConfig config) {
        this.key = config.secretKey().filter(k -> !k.isBlank()).map(SecretBox::parse).orElse(null);
    }

    public boolean configured() {
        return key != null;
    }

    public byte[] encrypt(String plaintext, String associatedData) {
        requireKey();
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt", e);
        }
    }

    public String decrypt(byte[] stored, String associatedData) {
        requireKey();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Never include the value: only that it could not be opened.
            throw new IllegalStateException("cannot decrypt a stored secret (wrong mfagov.notifier.secret-key?)");
        }
    }

    /** A new random signing secret for a webhook destination: 32 random bytes, base64url, prefixed. */
    public String newSigningSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void requireKey() {
        if (key == null) {
            throw new IllegalStateException("mfagov.notifier.secret-key (env NOTIFIER_SECRET_KEY) is not set");
        }
    }

    private static SecretKey parse(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("mfagov.notifier.secret-key must be base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("mfagov.notifier.secret-key must be 32 bytes (AES-256), got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
