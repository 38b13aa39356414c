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

import java.util.Set;

/**
 * Turns an API key into an identity named {@code apikey:<name>} with the key's roles, via the service's
 * {@link ApiKeyStore}; the configured {@link BootstrapAdminKey}, if any, is {@code apikey:bootstrap-admin}, admin.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    /** Prefix of an API key's principal name, so the actor of a write shows it was a key. */
    public static final String PRINCIPAL_PREFIX = "apikey:";

    private final Instance<ApiKeyStore> stores;
    private final BootstrapAdminKey bootstrap;

    public ApiKeyIdentityProvider(Instance<ApiKeyStore> stores, BootstrapAdminKey bootstrap) {
        this.stores = stores;
        this.bootstrap = bootstrap;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        String keyHash = ApiKeys.hash(request.key());
        if (bootstrap.matches(keyHash)) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(PRINCIPAL_PREFIX + BootstrapAdminKey.NAME))
                    .addRoles(Set.of(Roles.ADMIN))
                    .build());
        }
        if (!stores.isResolvable()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("API keys are not accepted here"));
        }
        return context.runBlocking(() -> stores.get().findActiveByHash(keyHash)
                .map(identity -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(PRINCIPAL_PREFIX + identity.name()))
                        .addRoles(identity.roles())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown or revoked API key")));
    }
}
