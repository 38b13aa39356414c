package io.mfagov.notifier.outbound;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Signs webhook bodies. {@code X-Mfagov-Signature: v1=<hex>} where hex is the lower-case hex
 * HMAC-SHA256, keyed with the destination's secret (its UTF-8 bytes), of
 * {@code <X-Mfagov-Timestamp> + "." + <raw request body bytes>}; the timestamp is Unix seconds.
 */
public final class WebhookSigner {

    public static final String EVENT_ID_HEADER = "X-Mfagov-Event-Id";
    public static final String TIMESTAMP_HEADER = "X-Mfagov-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Mfagov-Signature";

    private WebhookSigner() {
    }

    public static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
