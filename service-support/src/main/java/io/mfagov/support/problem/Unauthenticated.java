package io.mfagov.support.problem;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The 401 every service answers, as problem+json with the challenge kept: no credentials, or credentials that did
 * not authenticate (unknown or revoked API key, a bearer token that is expired, badly signed, for another audience,
 * issuer or tenant). The detail never says which, nor echoes the credential.
 */
final class Unauthenticated {

    /** The challenge: bearer tokens (RFC 6750); API keys go in the {@code X-API-Key} header. */
    static final String CHALLENGE = "Bearer";

    private Unauthenticated() {
    }

    static Response response() {
        return Response.status(401).type(Problem.MEDIA).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .entity(Problem.of(401, "unauthenticated", "Unauthorized",
                        "send a valid bearer token (Authorization: Bearer …) or API key (X-API-Key)", null))
                .build();
    }
}
