package io.mfagov.scanner.graph;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Keeps a tenant's app-only token until 5 minutes before it expires, so the access check's token is the one the scan's
 * requests carry and a scan makes one token request, whatever the identity library's own cache does with a
 * non-default authority host (against the simulator MSAL's cache missed: one token request per Graph request).
 * One instance per tenant and credential set, and the scanner always asks for Graph's {@code .default} scope. The
 * token is kept in memory only, never logged.
 */
final class CachedTokenCredential implements TokenCredential {

    private static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

    private final TokenCredential inner;
    private AccessToken token;

    CachedTokenCredential(TokenCredential inner) {
        this.inner = inner;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromCallable(() -> getTokenSync(request));
    }

    @Override
    public synchronized AccessToken getTokenSync(TokenRequestContext request) {
        if (token == null || token.getExpiresAt() == null
                || !token.getExpiresAt().isAfter(OffsetDateTime.now().plus(REFRESH_BEFORE))) {
            token = inner.getTokenSync(request);
        }
        return token;
    }

    @Override
    public String toString() {
        return "CachedTokenCredential[***]";
    }
}
