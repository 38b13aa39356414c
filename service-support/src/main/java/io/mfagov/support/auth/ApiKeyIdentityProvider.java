package io.mfagov.support.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Turns an API key into an identity named {@code apikey:<name>} with the key's roles, via the service's {@link ApiKeyStore}. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    /** Prefix of an API key's principal name, so the actor of a write shows it was a key. */
    public static final String PRINCIPAL_PREFIX = "apikey:";

    private final Instance<ApiKeyStore> stores;

    public ApiKeyIdentityProvider(Instance<ApiKeyStore> stores) {
        this.stores = stores;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!stores.isResolvable()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("API keys are not accepted here"));
        }
        return context.runBlocking(() -> stores.get().findActiveByHash(ApiKeys.hash(request.key()))
                .map(identity -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(PRINCIPAL_PREFIX + identity.name()))
                        .addRoles(identity.roles())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown or revoked API key")));
    }
}
