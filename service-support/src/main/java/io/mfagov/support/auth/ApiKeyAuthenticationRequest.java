package io.mfagov.support.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented in the {@value ApiKeys#HEADER} header. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[key=***]";
    }
}
