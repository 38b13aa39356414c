package io.mfagov.keys.service;

import io.mfagov.keys.api.ApiKeyView;

/**
 * The audit hook of the API-key component: each service that accepts API keys implements it once
 * ({@code @ApplicationScoped}) and records creations and revocations in its own audit trail. Called inside the
 * transaction that writes the key, so a failing audit write undoes the key change too.
 */
public interface ApiKeyAudit {

    String CREATED = "API_KEY_CREATED";
    String REVOKED = "API_KEY_REVOKED";

    void created(ApiKeyView key, String actor);

    void revoked(ApiKeyView key, String actor);
}
