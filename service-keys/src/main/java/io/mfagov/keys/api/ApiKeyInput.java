package io.mfagov.keys.api;

import java.util.List;

/** Body of {@code POST /api/v1/api-keys}. */
public record ApiKeyInput(String name, List<String> roles) {
}
