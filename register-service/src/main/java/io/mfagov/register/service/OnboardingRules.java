package io.mfagov.register.service;

import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.DelegatedRelationship;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The onboarding decisions (issue 16), pure: which access statuses are a problem a person must fix, what to do about
 * each, how a customer's GDAP relationships sum up, and which of them warrant an alert. Used by {@link TenantAccess},
 * {@link Discoveries} and the API views.
 */
public final class OnboardingRules {

    /** Who can grant Graph application permissions in a customer tenant (admin consent or appRoleAssignments). */
    public static final String WHO_CAN_GRANT = "a Privileged Role Administrator or Global Administrator of the tenant";

    private OnboardingRules() {
    }

    /** The relationship summary of a customer: what the register shows and filters on. */
    public enum RelationshipStatus {
        /** A relationship grants access and none ends within the warning window without extending itself. */
        ACTIVE,
        /** The relationships that grant access end within the warning window and none extends itself. */
        EXPIRING,
        /** None grants access and at least one has ended (or the customer left a COMPLETE discovery). */
        ENDED,
        /** Relationships exist but none is active yet (approval pending, created, activating). */
        PENDING,
        /** No GDAP relationship: a contract only. */
        NONE
    }

    /** The summary, when it ends (the access-granting relationship that lasts longest) and whether it extends itself. */
    public record Summary(RelationshipStatus status, Instant endsAt, Boolean autoExtends) {
    }

    /**
     * An access status a person must act on (consent, permissions, credentials, tenant): ACCESS_PROBLEM is raised for
     * it. Not AUTHORITY_UNREACHABLE (not about the tenant: retried by the next scan, SCAN_FAILED says so), nor OK,
     * UNCHECKED or UNKNOWN. MISSING_PERMISSIONS counts only when something the tenant uses is missing: a read
     * permission, or a write permission while the tenant has enforcement on.
     */
    public static boolean isProblem(AccessStatus status, List<String> missingReads, List<String> missingWrites,
            boolean enforcementEnabled) {
        if (status == null) {
            return false;
        }
        return switch (status) {
            case NO_CONSENT, CREDENTIALS_REJECTED, NO_CREDENTIALS, TENANT_NOT_FOUND, RELATIONSHIP_ENDED -> true;
            case MISSING_PERMISSIONS -> !missingReads.isEmpty() || (enforcementEnabled && !missingWrites.isEmpty());
            case OK, AUTHORITY_UNREACHABLE, UNCHECKED, UNKNOWN -> false;
        };
    }

    /** The permissions to grant, read and write, sorted and without duplicates: with the status, an episode's key. */
    public static List<String> permissionsToGrant(List<String> missingReads, List<String> missingWrites) {
        TreeSet<String> all = new TreeSet<>(missingReads);
        all.addAll(missingWrites);
        return List.copyOf(all);
    }

    /**
     * Whether the scan's access verdict continues the tenant's current problem episode (same status, same permissions
     * to grant) rather than beginning a new one; a new episode raises ACCESS_PROBLEM again.
     */
    public static boolean sameEpisode(String previousStatus, List<String> previousToGrant, Object previousEpisode,
            AccessStatus status, List<String> toGrant) {
        return previousEpisode != null && status.name().equals(previousStatus)
                && new TreeSet<>(previousToGrant).equals(new TreeSet<>(toGrant));
    }

    /** The access status in words (the reason on cards, the API and the CSV). */
    public static String reason(AccessStatus status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case OK -> "the app can read the tenant";
            case MISSING_PERMISSIONS -> "the app lacks application permissions in the tenant";
            case NO_CONSENT -> "the app is not present in the tenant: nobody granted admin consent (AADSTS700016)";
            case CREDENTIALS_REJECTED -> "Entra rejected the app's credential (wrong or expired secret, unregistered"
                    + " certificate or untrusted federated token)";
            case NO_CREDENTIALS -> "no credential set is configured for the tenant's credentialRef";
            case TENANT_NOT_FOUND -> "Entra does not know the tenant (AADSTS90002): deleted, or a wrong tenant id";
            case AUTHORITY_UNREACHABLE -> "the Entra token endpoint could not be reached; the next scan tries again";
            case RELATIONSHIP_ENDED -> "the partner relationship with the tenant has ended";
            case UNCHECKED -> "not checked: the scanner used a static token without roles";
            case UNKNOWN -> "a status this register does not know";
        };
    }

    /** What a person should do about an access status, in words; null when nothing. */
    public static String action(AccessStatus status, String consentUrl, List<String> toGrant) {
        if (status == null) {
            return null;
        }
        String consent = consentUrl == null || consentUrl.isBlank() ? "the tenant's admin-consent URL"
                : consentUrl;
        return switch (status) {
            case NO_CONSENT -> "Have " + WHO_CAN_GRANT + " open " + consent + " and grant admin consent"
                    + (toGrant.isEmpty() ? "" : " (permissions: " + String.join(", ", toGrant) + ")")
                    + ", or grant it through GDAP (Partner Center application consent, then appRoleAssignments)";
            case MISSING_PERMISSIONS -> toGrant.isEmpty() ? null
                    : "Grant " + String.join(", ", toGrant) + " to the app in the tenant: " + WHO_CAN_GRANT
                    + " opens " + consent + " (consent again after adding the permissions to the app registration)";
            case CREDENTIALS_REJECTED -> "Check the tenant's credential set (credentialRef): renew the secret, register"
                    + " the certificate on the app, or fix the federated credential's issuer, subject and audience";
            case NO_CREDENTIALS -> "Configure the credential set the tenant's credentialRef names on the scanner"
                    + " (mfagov.graph.credentials.<name>.*), or change the tenant's credentialRef";
            case TENANT_NOT_FOUND -> "Check the tenant id; remove the tenant from the register if it was deleted";
            case AUTHORITY_UNREACHABLE -> "None: the next scan tries again; check the scanner's network if it persists";
            case RELATIONSHIP_ENDED -> "Renew the GDAP relationship with the customer, or disable the tenant";
            case OK, UNCHECKED, UNKNOWN -> null;
        };
    }

    /**
     * Sums a customer's relationships up. A relationship that grants access (active, expiring) makes the customer ACTIVE
     * — or EXPIRING when the longest-lasting of those ends within {@code warning} of {@code now} and none of them extends
     * itself; none granting but one ended: ENDED; some not yet active: PENDING; none: NONE (contract only).
     */
    public static Summary summarize(List<DelegatedRelationship> relationships, Instant now, Duration warning) {
        List<DelegatedRelationship> granting = relationships.stream().filter(DelegatedRelationship::grantsAccess).toList();
        if (!granting.isEmpty()) {
            boolean autoExtends = granting.stream().anyMatch(DelegatedRelationship::autoExtends);
            Instant endsAt = granting.stream().map(DelegatedRelationship::endDateTime)
                    .max(Comparator.nullsLast(Comparator.naturalOrder())).orElse(null);
            boolean expiring = !autoExtends && endsAt != null && endsAt.isBefore(now.plus(warning));
            return new Summary(expiring ? RelationshipStatus.EXPIRING : RelationshipStatus.ACTIVE, endsAt, autoExtends);
        }
        List<DelegatedRelationship> ended = relationships.stream().filter(DelegatedRelationship::ended).toList();
        if (!ended.isEmpty()) {
            return new Summary(RelationshipStatus.ENDED, ended.stream().map(DelegatedRelationship::endDateTime)
                    .filter(java.util.Objects::nonNull).max(Comparator.naturalOrder()).orElse(null), false);
        }
        return new Summary(relationships.isEmpty() ? RelationshipStatus.NONE : RelationshipStatus.PENDING, null, null);
    }

    /**
     * The relationship a RELATIONSHIP_ENDED alert is about: when none grants access, the ended one that ended last (by
     * its end, else its id) — one alert per (tenant, relationship), not one per old relationship.
     */
    public static Optional<DelegatedRelationship> endedRelationship(List<DelegatedRelationship> relationships) {
        if (relationships.stream().anyMatch(DelegatedRelationship::grantsAccess)) {
            return Optional.empty();
        }
        return relationships.stream().filter(DelegatedRelationship::ended)
                .max(Comparator.comparing(DelegatedRelationship::endDateTime, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(DelegatedRelationship::id));
    }

    /**
     * The relationships a RELATIONSHIP_EXPIRING alert is about: granting access, ending within {@code warning} of
     * {@code now} (and not already past), not extending themselves — unless another granting relationship outlasts the
     * warning window or extends itself (access goes on through it).
     */
    public static List<DelegatedRelationship> expiringRelationships(List<DelegatedRelationship> relationships,
            Instant now, Duration warning) {
        List<DelegatedRelationship> granting = relationships.stream().filter(DelegatedRelationship::grantsAccess).toList();
        boolean continues = granting.stream().anyMatch(r -> r.autoExtends() || r.endDateTime() == null
                || !r.endDateTime().isBefore(now.plus(warning)));
        if (continues) {
            return List.of();
        }
        return granting.stream().filter(r -> r.endDateTime().isAfter(now)).toList();
    }
}
