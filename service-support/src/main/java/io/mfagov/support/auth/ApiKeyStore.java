package io.mfagov.support.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Implemented by each service that accepts API keys (one {@code @ApplicationScoped} bean): finds
 * an active (not revoked) key by its hash. Called on a worker thread; may block on the database.
 */
public interface ApiKeyStore {

    Optional<ApiKeyIdentity> findActiveByHash(String keyHash);

    /**
     * Who an API key authenticates as: its bare name (the identity provider records the actor as
     * {@code apikey:<name>}; a store must not add the prefix itself) and its roles.
     */
    record ApiKeyIdentity(String name, Set<String> roles) {
    }
}
