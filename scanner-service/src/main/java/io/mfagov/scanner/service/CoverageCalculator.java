package io.mfagov.scanner.service;

import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.UncoveredReason;
import io.mfagov.model.events.UncoveredUser;
import io.mfagov.scanner.service.ExclusionResolver.Directory;
import io.mfagov.scanner.service.ExclusionResolver.MfaPolicy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.mfagov.scanner.policy.CaPolicy.containsIgnoreCase;

/**
 * Pure logic: a tenant's effective MFA coverage. A user is covered when security defaults are on, or when an enabled
 * policy requires MFA of them with no way around it: strict grant, all cloud apps, no excluded location, no condition
 * hole (client-app holes closed by an enabled legacy-authentication block that applies to the user excepted), and it
 * includes them and does not exclude them.
 */
public final class CoverageCalculator {

    /**
     * The roles of Microsoft's "Require multifactor authentication for admins" policy template: holding one, active
     * or PIM-eligible, makes a user privileged.
     */
    static final Set<String> ADMIN_ROLES = Set.of(
            "62e90394-69f5-4237-9190-012177145e10", // Global Administrator
            "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
            "c4e39bd9-1100-46d3-8c65-fb160da0071f", // Authentication Administrator
            "b0f54661-2d74-4c50-afa3-1ec803f12efe", // Billing Administrator
            "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
            "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
            "29232cdf-9323-42fd-ade2-1d097af3e4de", // Exchange Administrator
            "729827e3-9c14-49f7-bb1b-9608f156bbb8", // Helpdesk Administrator
            "966707d0-3269-4727-9be2-8c3a10f19b9d", // Password Administrator
            "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
            "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
            "194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
            "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", // SharePoint Administrator
            "fe930be7-5e62-47db-91af-98c3a49a38b1"); // User Administrator

    private CoverageCalculator() {
    }

    /**
     * @param allUsersCovered null when undecided (security defaults unread, users unlisted, or a membership unread)
     * @param enabledUsers    enabled users counted, null when not listed
     * @param uncovered       the uncovered enabled users, with the reason, in the directory's order
     */
    public record Coverage(Boolean securityDefaultsEnabled, int enabledMfaPolicies, int reportOnlyMfaPolicies,
                           Boolean allUsersCovered, Integer enabledUsers, List<UncoveredUser> uncovered,
                           boolean noMfaEnforcement, boolean undecided) {

        public Coverage(Boolean securityDefaultsEnabled, int enabledMfaPolicies, int reportOnlyMfaPolicies,
                        Boolean allUsersCovered, Integer enabledUsers, List<UncoveredUser> uncovered,
                        boolean noMfaEnforcement) {
            this(securityDefaultsEnabled, enabledMfaPolicies, reportOnlyMfaPolicies, allUsersCovered, enabledUsers,
                    uncovered, noMfaEnforcement, allUsersCovered == null);
        }

        /**
         * This coverage with the users per-user MFA protects (state enabled or enforced) no longer uncovered: Entra
         * requires MFA of them at every sign-in whatever Conditional Access says.
         */
        public Coverage withPerUserMfa(java.util.Set<String> protectedIds) {
            if (protectedIds.isEmpty() || uncovered.isEmpty()) {
                return this;
            }
            List<UncoveredUser> left = uncovered.stream().filter(u -> !protectedIds.contains(u.id())).toList();
            Boolean all = !left.isEmpty() ? Boolean.FALSE : undecided ? null : Boolean.TRUE;
            return new Coverage(securityDefaultsEnabled, enabledMfaPolicies, reportOnlyMfaPolicies, all, enabledUsers,
                    left, noMfaEnforcement, undecided);
        }
    }

    public static Coverage compute(List<MfaPolicy> policies, Directory dir) {
        List<MfaPolicy> mfa = policies.stream().filter(p -> p.policy() != null && !p.isLegacyBlock()).toList();
        int enabled = (int) mfa.stream().filter(p -> p.ref().state() == PolicyState.ENABLED).count();
        int reportOnly = (int) mfa.stream().filter(p -> p.ref().state() == PolicyState.REPORT_ONLY).count();
        boolean noEnforcement = Boolean.FALSE.equals(dir.securityDefaults) && enabled == 0;
        if (Boolean.TRUE.equals(dir.securityDefaults)) {
            return new Coverage(true, enabled, reportOnly, true, dir.enabledUsers == null ? null : dir.enabledUsers.size(),
                    List.of(), false);
        }
        if (dir.enabledUsers == null) {
            return new Coverage(dir.securityDefaults, enabled, reportOnly, null, null, List.of(), noEnforcement);
        }
        List<MfaPolicy> blocks = policies.stream().filter(MfaPolicy::isLegacyBlock).toList();
        List<UncoveredUser> uncovered = new ArrayList<>();
        boolean undecided = dir.securityDefaults == null;
        for (DirObject user : dir.enabledUsers) {
            Decision d = decide(user, mfa, blocks, dir);
            if (d.covered == null) {
                undecided = true;
            } else if (!d.covered) {
                uncovered.add(new UncoveredUser(user.id(), user.userPrincipalName(), user.displayName(), user.userType(),
                        d.reason, privileged(user, dir)));
            }
        }
        Boolean all = !uncovered.isEmpty() ? Boolean.FALSE : undecided ? null : Boolean.TRUE;
        return new Coverage(dir.securityDefaults, enabled, reportOnly, all, dir.enabledUsers.size(),
                List.copyOf(uncovered), noEnforcement, undecided);
    }

    private record Decision(Boolean covered, UncoveredReason reason) {
    }

    private static Decision decide(DirObject user, List<MfaPolicy> mfa, List<MfaPolicy> blocks, Directory dir) {
        Set<String> closed = new HashSet<>();
        for (MfaPolicy b : blocks) {
            if (Boolean.TRUE.equals(ExclusionResolver.includes(b.policy(), user, dir))
                    && Boolean.FALSE.equals(ExclusionResolver.excludes(b.policy(), user, dir))) {
                closed.addAll(b.legacyBlocked());
            }
        }
        boolean undecided = false;
        boolean excludedFromFull = false;
        boolean partial = false;
        boolean reportOnly = false;
        for (MfaPolicy p : mfa) {
            Boolean in = ExclusionResolver.includes(p.policy(), user, dir);
            Boolean out = ExclusionResolver.excludes(p.policy(), user, dir);
            boolean full = p.grant().strict() && io.mfagov.scanner.policy.PolicyRules.allAppsWithoutExclusion(p.policy())
                    && p.locations().isEmpty() && ExclusionResolver.openHoles(p, closed).isEmpty();
            if (in == null || Boolean.TRUE.equals(in) && out == null) {
                undecided = true;
                continue;
            }
            if (!in) {
                continue;
            }
            if (p.ref().state() == PolicyState.ENABLED) {
                if (out) {
                    excludedFromFull |= full;
                    continue;
                }
                if (full) {
                    return new Decision(true, null);
                }
                partial = true;
            } else if (!out) {
                reportOnly = true;
            }
        }
        if (undecided) {
            return new Decision(null, null);
        }
        UncoveredReason reason = excludedFromFull ? UncoveredReason.EXCLUDED_EVERYWHERE
                : partial ? UncoveredReason.ONLY_PARTIAL_POLICIES
                : reportOnly ? UncoveredReason.ONLY_REPORT_ONLY
                : anyEnabledIncludes(user, mfa, dir) ? UncoveredReason.EXCLUDED_EVERYWHERE
                : UncoveredReason.IN_NO_INCLUDE;
        return new Decision(false, reason);
    }

    private static boolean anyEnabledIncludes(DirObject user, List<MfaPolicy> mfa, Directory dir) {
        return mfa.stream().anyMatch(p -> p.ref().state() == PolicyState.ENABLED
                && Boolean.TRUE.equals(ExclusionResolver.includes(p.policy(), user, dir)));
    }

    /** Holds an admin role, active or PIM-eligible; null when role assignments were not read. */
    static Boolean privileged(DirObject user, Directory dir) {
        boolean unknown = false;
        for (String role : ADMIN_ROLES) {
            Set<String> active = dir.roleUsers(role);
            if (active == null) {
                unknown = true;
            } else if (active.contains(user.id())) {
                return true;
            }
            Set<String> eligible = dir.eligibleRoleUsers(role);
            if (eligible != null && eligible.contains(user.id())) {
                return true;
            }
        }
        return unknown ? null : false;
    }

    /** Unused by the decision, kept for reporting: whether the policy includes everyone. */
    static boolean includesAll(MfaPolicy p) {
        return containsIgnoreCase(p.policy().users().includeUsers(), "All");
    }
}
