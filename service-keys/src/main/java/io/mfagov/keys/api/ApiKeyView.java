package io.mfagov.keys.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An API key as the API shows it: never the key, nor its hash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(UUID id, String name, List<String> roles, String createdBy, Instant createdAt,
        String revokedBy, Instant revokedAt) {
}
