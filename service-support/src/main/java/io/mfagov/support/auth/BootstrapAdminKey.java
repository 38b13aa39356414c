package io.mfagov.support.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * How a fresh install gets its first admin credential without an identity provider: the operator
 * generates a key, and configures only its SHA-256 ({@value #PROPERTY}, env
 * {@code MFAGOV_SECURITY_BOOTSTRAP_ADMIN_KEY_HASH}). Presenting that key in {@value ApiKeys#HEADER}
 * authenticates as {@code apikey:}{@value #NAME} with the {@code admin} role; it is meant to create
 * the real, named API keys, then be removed from the configuration. Off unless configured; the key
 * itself is never configured, stored or logged. A malformed hash fails the start (a typo must not
 * silently leave the service without its admin, nor accept something unintended).
 */
@ApplicationScoped
public class BootstrapAdminKey {

    public static final String PROPERTY = "mfagov.security.bootstrap-admin-key-hash";
    /** The name the bootstrap key authenticates as (actor {@code apikey:bootstrap-admin}). */
    public static final String NAME = "bootstrap-admin";

    private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

    private final byte[] hash;

    public BootstrapAdminKey(@ConfigProperty(name = PROPERTY) Optional<String> configured) {
        this.hash = parse(configured.orElse(null));
    }

    /** The configured hash as bytes, or null when off (absent or blank); throws for anything but 64 hex digits. */
    static byte[] parse(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        String hex = configured.trim().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(PROPERTY + " must be the lower-case hex SHA-256 of the key (64 hex digits)");
        }
        return HexFormat.of().parseHex(hex);
    }

    void logOnStart(@Observes StartupEvent event) {
        if (hash != null) {
            LOG.warnf("Bootstrap admin API key accepted (%s is set): create named API keys with it, then unset it", PROPERTY);
        }
    }

    public boolean enabled() {
        return hash != null;
    }

    /** Whether a presented key's hash ({@link ApiKeys#hash}) is the bootstrap key's, in constant time. */
    public boolean matches(String keyHash) {
        return hash != null && keyHash != null && keyHash.length() == 64
                && MessageDigest.isEqual(hash, HexFormat.of().parseHex(keyHash));
    }
}
