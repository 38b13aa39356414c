package io.mfagov.support.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Bearer tokens from Microsoft Entra ID, as Entra issues them (see docs/security.md). quarkus-oidc checks the
 * signature, expiry and audience ({@code quarkus.oidc.token.audience}: the App ID URI of v1 tokens and the client id
 * of v2 tokens); {@link EntraTokenAugmentor} checks the tenant and issuer and maps app roles to ours.
 */
@ConfigMapping(prefix = "mfagov.security.entra")
public interface EntraIdConfig {

    /**
     * The MSP's own Entra tenant id (env {@code OIDC_TENANT_ID}). When set, a token must carry {@code tid} = this
     * tenant and be issued by it: {@code https://sts.windows.net/<tid>/} with {@code ver} 1.0, or
     * {@code https://login.microsoftonline.com/<tid>/v2.0} with {@code ver} 2.0. Required when
     * {@code quarkus.oidc.token.issuer=any} (which Entra's two issuers need); unset, every bearer token is refused then.
     */
    Optional<String> tenantId();

    /**
     * The prefix of the API's app role values, e.g. {@code Mfagov.} for {@code Mfagov.Admin}; the value without it,
     * case-insensitively, names our role (reader, requester, approver, admin). Values without it are matched as
     * they are ({@code admin}, {@code Approver}).
     */
    @WithDefault("Mfagov.")
    String appRolePrefix();
}
