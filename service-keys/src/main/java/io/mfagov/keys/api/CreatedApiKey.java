package io.mfagov.keys.api;

/** The answer to creating a key: the only place the key itself ever appears. */
public record CreatedApiKey(ApiKeyView apiKey, String key) {
}
