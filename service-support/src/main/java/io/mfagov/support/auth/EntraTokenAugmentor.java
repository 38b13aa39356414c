package io.mfagov.support.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens only (API keys pass untouched): with {@link EntraIdConfig#tenantId()} set, refuses (401) a token of
 * another tenant or issuer; maps the app roles of the {@code roles} claim to ours ({@link AppRoles}), with the roles
 * they imply.
 */
@ApplicationScoped
public class EntraTokenAugmentor implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(EntraTokenAugmentor.class);

    private final EntraIdConfig config;
    private final boolean anyIssuer;

    public EntraTokenAugmentor(EntraIdConfig config,
            @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> issuer,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidcEnabled) {
        this.config = config;
        this.anyIssuer = issuer.map("any"::equalsIgnoreCase).orElse(false);
        if (oidcEnabled && anyIssuer && config.tenantId().isEmpty()) {
            LOG.error("quarkus.oidc.token.issuer=any without mfagov.security.entra.tenant-id (OIDC_TENANT_ID):"
                    + " every bearer token is refused until the tenant is configured");
        }
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String refusal = refusal(token);
        if (refusal != null) {
            LOG.debugf("bearer token refused: %s", refusal);
            return Uni.createFrom().failure(new AuthenticationFailedException("token refused: " + refusal));
        }
        Set<String> roles = new java.util.LinkedHashSet<>();
        // with the implied roles too, so the result does not depend on the order augmentors run in
        AppRoles.ours(identity.getRoles(), config.appRolePrefix()).forEach(role -> roles.addAll(Roles.withImplied(role)));
        if (roles.isEmpty() || identity.getRoles().containsAll(roles)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }

    private String refusal(JsonWebToken token) {
        if (config.tenantId().isEmpty()) {
            return anyIssuer ? "no tenant configured to check the issuer against" : null;
        }
        return EntraIssuers.refusal(config.tenantId().get().trim(), token.getIssuer(), claim(token, "tid"),
                claim(token, "ver"));
    }

    private static String claim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return null;
        }
        String text = value.toString();
        // JSON string claims may come back as JsonString, whose toString() keeps the quotes
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }
}
