package io.mfagov.scanner.graph;

import io.mfagov.model.events.AccessStatus;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells, before a scan reads anything and with one token request, whether the MSP's app can read a tenant:
 * app not present (no consent), a permission missing (the token's {@code roles} claim against the
 * {@link PermissionTable}), credentials rejected, tenant unknown, authority unreachable. Entra's answer is classified by
 * its AADSTS code (in azure-identity's exception message). A rejected credential is dropped from the factory's cache,
 * so the next scan builds it again from the current material.
 */
public final class AccessChecker {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{5,8})");
    private static final String SCOPE = "https://graph.microsoft.com/.default";

    /** Entra codes meaning the credential itself was refused. */
    static final Set<String> REJECTED = Set.of(
            "7000215", // invalid client secret
            "7000222", // client secret expired
            "700027",  // client assertion signature / certificate not registered
            "700024",  // client assertion not within its valid time range
            "700211",  // no federated identity record matching the assertion's issuer
            "700212",  // ... audience
            "700213",  // ... subject
            "7000216", // no client_secret / client_assertion
            "7000112", // application disabled
            "700023",  // the assertion's audience is not this token endpoint
            "700021"); // the assertion's iss/sub is not the client id
    static final Set<String> NO_CONSENT = Set.of("700016");
    static final Set<String> TENANT_NOT_FOUND = Set.of("90002", "900023");

    private final GraphClientFactory factory;

    public AccessChecker(GraphClientFactory factory) {
        this.factory = factory;
    }

    /** Checks the tenant with the set {@code credentialRef} names (null = default). Never throws. */
    public AccessCheck check(String tenantId, String credentialRef) {
        if (factory.staticTokens()) {
            return AccessCheck.unchecked();
        }
        Optional<CredentialSet> set = factory.credentials().resolve(credentialRef);
        String consentUrl = set.flatMap(CredentialSet::clientId)
                .map(id -> consentUrl(set.get().authorityHost(), tenantId, id)).orElse(null);
        String setName = set.map(CredentialSet::name).orElse(credentialRef);
        String token;
        try {
            token = factory.token(tenantId, credentialRef);
        } catch (GraphClientFactory.MissingCredentialsException e) {
            return blocked(AccessStatus.NO_CREDENTIALS, factory.redactor().clean(e.getMessage()), consentUrl);
        } catch (RuntimeException e) {
            Failure f = classify(e);
            if (f.status() == AccessStatus.CREDENTIALS_REJECTED) {
                factory.forget(tenantId, credentialRef);
            }
            String entra = factory.redactor().clean(f.message());
            String clientId = set.flatMap(CredentialSet::clientId).orElse("?");
            String detail = switch (f.status()) {
                case NO_CONSENT -> "the app " + clientId + " is not present in tenant " + tenantId + " (no admin consent"
                        + " there): a Privileged Role Administrator or Global Administrator of the tenant opens the "
                        + "consent URL and grants " + String.join(", ", PermissionTable.readsToGrant())
                        + " (for enforcement also " + String.join(", ", PermissionTable.writesToGrant()) + ") — Entra: " + entra;
                case CREDENTIALS_REJECTED -> "Entra rejected credential set '" + setName + "' (app " + clientId + ", "
                        + set.map(s -> s.kind().name()).orElse("?") + "): renew or register the secret, certificate or "
                        + "federated credential on the app registration, or fix the set's configuration — Entra: " + entra;
                case TENANT_NOT_FOUND -> "Entra does not know tenant " + tenantId + ": a wrong tenant id, or the tenant"
                        + " was deleted — Entra: " + entra;
                default -> "the token authority could not be asked (" + entra + "): retried by the next scan";
            };
            return blocked(f.status(), detail, f.status() == AccessStatus.TENANT_NOT_FOUND ? null : consentUrl);
        }
        Optional<Set<String>> roles = GraphClientFactory.rolesOf(token);
        if (roles.isEmpty()) {
            return AccessCheck.unchecked();
        }
        PermissionTable.Assessment a = PermissionTable.assess(roles.get());
        List<String> granted = new ArrayList<>(new java.util.TreeSet<>(roles.get()));
        // the lifecycle's write permissions are granted only by tenants that opt in to removals: their absence is
        // missingWritePermissions (the register's enforcementStatus), never an access problem of the scan
        boolean missing = !a.missingPermissions().isEmpty();
        String detail = null;
        if (a.scanBlocked()) {
            detail = "the app lacks " + String.join(", ", a.missingRequired()) + " in tenant " + tenantId
                    + ", which the scan needs: nothing was read. A Privileged Role Administrator or Global Administrator"
                    + " of the tenant grants these application permissions (admin consent: the consent URL)"
                    + (a.missingOptional().isEmpty() ? "" : "; also missing (reads skipped): " + String.join(", ", a.missingOptional()));
        } else if (!a.missingOptional().isEmpty()) {
            detail = "reads skipped for want of " + String.join(", ", a.missingOptional()) + ": "
                    + String.join(", ", a.disabledReads()) + "; grant them (admin consent) for a complete picture";
        } else if (!a.missingWrites().isEmpty()) {
            detail = "enforcement not permitted: the app lacks " + String.join(", ", a.missingWrites())
                    + " (needed only to remove expired exclusions)";
        }
        return new AccessCheck(missing ? AccessStatus.MISSING_PERMISSIONS : AccessStatus.OK, detail, consentUrl, granted,
                a.missingPermissions(), a.disabledReads(), a.missingWrites(), a.scanBlocked());
    }

    private static AccessCheck blocked(AccessStatus status, String detail, String consentUrl) {
        return new AccessCheck(status, detail, consentUrl, List.of(), List.of(), List.of(), List.of(), true);
    }

    /** The tenant's admin-consent URL for the app (Microsoft identity platform v2.0, Graph's {@code .default} scope). */
    public static String consentUrl(String authorityHost, String tenantId, String clientId) {
        String host = authorityHost.endsWith("/") ? authorityHost.substring(0, authorityHost.length() - 1) : authorityHost;
        return host + "/" + tenantId + "/v2.0/adminconsent?client_id=" + clientId + "&scope="
                + URLEncoder.encode(SCOPE, StandardCharsets.UTF_8);
    }

    /** A token request's failure: its status and Entra's message. */
    record Failure(AccessStatus status, String code, String message) {
    }

    /** Classifies azure-identity's exception by the AADSTS code in its messages; I/O and anything else: unreachable. */
    static Failure classify(Throwable e) {
        String firstMessage = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (firstMessage == null && m != null) {
                firstMessage = m;
            }
            if (m != null) {
                Matcher matcher = AADSTS.matcher(m);
                if (matcher.find()) {
                    String code = matcher.group(1);
                    AccessStatus s = NO_CONSENT.contains(code) ? AccessStatus.NO_CONSENT
                            : TENANT_NOT_FOUND.contains(code) ? AccessStatus.TENANT_NOT_FOUND
                            : AccessStatus.CREDENTIALS_REJECTED; // REJECTED, and any other refusal of this credential
                    return new Failure(s, code, m.substring(matcher.start()));
                }
            }
            if (t instanceof IOException) {
                return new Failure(AccessStatus.AUTHORITY_UNREACHABLE, null, t.getClass().getSimpleName() + ": " + m);
            }
        }
        return new Failure(AccessStatus.AUTHORITY_UNREACHABLE, null,
                e.getClass().getSimpleName() + (firstMessage == null ? "" : ": " + firstMessage));
    }
}
