package io.mfagov.notifier.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

/**
 * What a PSA would write from the README alone, independent of the notifier's signer: HMAC-SHA256
 * implemented here from SHA-256 (RFC 2104), the signed text rebuilt from the headers, constant-time
 * comparison, and a freshness window against replays.
 */
public final class PsaSignatureVerifier {

    private static final int BLOCK = 64;

    private PsaSignatureVerifier() {
    }

    public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] rawBody,
            Instant now, Duration tolerance) {
        if (secret == null || timestampHeader == null || signatureHeader == null || !signatureHeader.startsWith("v1=")) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        byte[] prefix = (timestampHeader + ".").getBytes(StandardCharsets.UTF_8);
        byte[] message = ByteBuffer.allocate(prefix.length + rawBody.length).put(prefix).put(rawBody).array();
        byte[] expected = hmacSha256(secret.getBytes(StandardCharsets.UTF_8), message);
        byte[] given = fromHex(signatureHeader.substring(3));
        return given != null && MessageDigest.isEqual(expected, given);
    }

    private static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            if (key.length > BLOCK) {
                key = MessageDigest.getInstance("SHA-256").digest(key);
            }
            byte[] padded = new byte[BLOCK];
            System.arraycopy(key, 0, padded, 0, key.length);
            byte[] inner = new byte[BLOCK];
            byte[] outer = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                inner[i] = (byte) (padded[i] ^ 0x36);
                outer[i] = (byte) (padded[i] ^ 0x5c);
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(inner);
            sha.update(message);
            byte[] innerHash = sha.digest();
            sha.reset();
            sha.update(outer);
            sha.update(innerHash);
            return sha.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] fromHex(String hex) {
        if (hex.length() != 64) {
            return null;
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
