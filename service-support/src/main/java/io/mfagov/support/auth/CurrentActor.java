package io.mfagov.support.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Who is calling, as recorded on every write, the same in every service: the token's principal (Entra: the
 * immutable object id {@code oid}, {@code quarkus.oidc.token.principal-claim=oid}) or {@code apikey:<name>}
 * ({@link ApiKeyIdentityProvider} adds the prefix; key stores return bare names).
 */
@RequestScoped
public class CurrentActor {

    @Inject
    SecurityIdentity identity;

    public String name() {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        return identity.getPrincipal().getName();
    }

    public boolean hasRole(String role) {
        return identity != null && identity.hasRole(role);
    }

    public boolean isApiKey() {
        return name().startsWith(ApiKeyIdentityProvider.PRINCIPAL_PREFIX);
    }
}
