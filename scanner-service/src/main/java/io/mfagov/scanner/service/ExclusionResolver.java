package io.mfagov.scanner.service;

import com.microsoft.graph.models.ConditionalAccessAllExternalTenants;
import com.microsoft.graph.models.ConditionalAccessConditionSet;
import com.microsoft.graph.models.ConditionalAccessEnumeratedExternalTenants;
import com.microsoft.graph.models.ConditionalAccessExternalTenants;
import com.microsoft.graph.models.ConditionalAccessGrantControl;
import com.microsoft.graph.models.ConditionalAccessGrantControls;
import com.microsoft.graph.models.ConditionalAccessGuestOrExternalUserTypes;
import com.microsoft.graph.models.ConditionalAccessGuestsOrExternalUsers;
import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.ConditionalAccessPolicyState;
import com.microsoft.graph.models.ConditionalAccessUsers;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Pure logic, no I/O: which policies require MFA (Entra's semantics), what they exclude, and how the directory
 * data the scanner read turns those exclusions into concrete principals with their paths.
 */
public final class ExclusionResolver {

    /** The literal in {@code excludeUsers} that stands for all guests and external users. */
    public static final String GUESTS_OR_EXTERNAL_USERS = "GuestsOrExternalUsers";
    /** Maximum number of distinct group chains reported for one principal under one excluded group. */
    static final int MAX_PATHS_PER_PRINCIPAL = 16;

    private static final Map<String, String> WELL_KNOWN_APPS = Map.of(
            "office365", "Office 365",
            "microsoftadminportals", "Microsoft Admin Portals",
            "all", "All cloud apps");
    private static final String LEGACY_MFA_TRUSTED_IPS = "00000000-0000-0000-0000-000000000000";

    private ExclusionResolver() {
    }

    /** A guest/external-user rule, named so that the same rule always gets the same id. */
    public record GuestRule(String id, String displayName) {
    }

    /** An MFA-requiring, enabled or report-only policy and everything it excludes. */
    public record MfaPolicy(PolicyRef ref, List<String> users, List<String> groups, List<String> roles,
                            List<GuestRule> guestRules, List<String> applications, List<String> locations) {
    }

    /** A named location as the scan read it. */
    public record NamedLoc(String id, String displayName, boolean trusted) {
    }

    /** What the scan read from the directory (absent keys = not read, or the read failed). */
    public static final class Directory {
        /** Objects returned by getByIds, transitive members and role principals, by object id. */
        public final Map<String, DirObject> objects = new HashMap<>();
        /** True once every getByIds call succeeded: ids missing from the answers are then truly unresolved. */
        public boolean idsRead;
        /** Transitive members per group id (read successfully). */
        public final Map<String, List<DirObject>> transitiveMembers = new HashMap<>();
        /** Groups Graph answered 404 for. */
        public final Set<String> missingGroups = new HashSet<>();
        /** Tenant-wide role holders per role template id (read successfully). */
        public final Map<String, List<DirObject>> roleHolders = new HashMap<>();
        /** Service principals by app id (lower case). */
        public final Map<String, DirObject> applications = new HashMap<>();
        public boolean applicationsRead;
        /** Named locations by id (lower case). */
        public final Map<String, NamedLoc> locations = new HashMap<>();
        public boolean locationsRead;
    }

    // ---- policies -----------------------------------------------------------------------------------------------

    /** Whether Entra would demand MFA from this policy's grant controls: {@code mfa}, or an authentication strength. */
    public static MfaRequirement mfaRequirement(ConditionalAccessGrantControls grant) {
        if (grant == null) {
            return null;
        }
        if (grant.getAuthenticationStrength() != null) {
            return MfaRequirement.AUTH_STRENGTH;
        }
        List<ConditionalAccessGrantControl> controls = grant.getBuiltInControls();
        if (controls != null && controls.contains(ConditionalAccessGrantControl.Mfa)) {
            return MfaRequirement.BUILT_IN_MFA;
        }
        return null;
    }

    /**
     * The enabled or report-only policies that require MFA, with their exclusions. Disabled and non-MFA policies are
     * left out. Policies Graph answered malformed (no id, unknown state) are left out and named in {@code problems}.
     */
    public static List<MfaPolicy> mfaPolicies(List<ConditionalAccessPolicy> policies, List<String> problems) {
        List<MfaPolicy> out = new ArrayList<>();
        for (ConditionalAccessPolicy p : policies) {
            if (p == null) {
                continue;
            }
            MfaRequirement requirement = mfaRequirement(p.getGrantControls());
            if (requirement == null) {
                continue;
            }
            if (p.getId() == null || p.getId().isBlank()) {
                problems.add("policy '" + p.getDisplayName() + "': Graph returned it without an id");
                continue;
            }
            ConditionalAccessPolicyState state = p.getState();
            if (state == null) {
                problems.add("policy " + p.getId() + ": missing or unknown state");
                continue;
            }
            PolicyState ps = PolicyState.fromGraph(state.getValue());
            if (ps == PolicyState.DISABLED) {
                continue;
            }
            if (ps != PolicyState.ENABLED && ps != PolicyState.REPORT_ONLY) {
                problems.add("policy " + p.getId() + ": unknown state " + state.getValue());
                continue;
            }
            String strength = p.getGrantControls().getAuthenticationStrength() == null ? null
                    : Objects.requireNonNullElse(p.getGrantControls().getAuthenticationStrength().getDisplayName(),
                    p.getGrantControls().getAuthenticationStrength().getId());
            PolicyRef ref = new PolicyRef(p.getId(), p.getDisplayName(), ps, requirement, strength);
            ConditionalAccessConditionSet c = p.getConditions();
            if (c == null || c.getUsers() == null) {
                problems.add("policy " + p.getId() + ": conditions.users missing");
                continue;
            }
            ConditionalAccessUsers u = c.getUsers();
            List<String> users = new ArrayList<>();
            List<GuestRule> guests = new ArrayList<>();
            for (String id : clean(u.getExcludeUsers())) {
                if (id.equalsIgnoreCase(GUESTS_OR_EXTERNAL_USERS)) {
                    guests.add(new GuestRule(GUESTS_OR_EXTERNAL_USERS, "All guests and external users"));
                } else if (!id.equalsIgnoreCase("None")) {
                    users.add(id);
                }
            }
            GuestRule rule = guestRule(u.getExcludeGuestsOrExternalUsers());
            if (rule != null) {
                guests.add(rule);
            }
            List<String> apps = c.getApplications() == null ? List.of() : clean(c.getApplications().getExcludeApplications());
            List<String> locations = c.getLocations() == null ? List.of() : clean(c.getLocations().getExcludeLocations());
            out.add(new MfaPolicy(ref, users, clean(u.getExcludeGroups()), clean(u.getExcludeRoles()), guests, apps,
                    locations));
        }
        return out;
    }

    /** {@code excludeGuestsOrExternalUsers} as a rule: its user types (sorted) and external tenants. */
    static GuestRule guestRule(ConditionalAccessGuestsOrExternalUsers g) {
        if (g == null) {
            return null;
        }
        Set<String> types = new TreeSet<>();
        if (g.getGuestOrExternalUserTypes() != null) {
            for (ConditionalAccessGuestOrExternalUserTypes t : g.getGuestOrExternalUserTypes()) {
                if (t != null && t != ConditionalAccessGuestOrExternalUserTypes.None) {
                    types.add(t.getValue());
                }
            }
        }
        if (types.isEmpty()) {
            return null;
        }
        ConditionalAccessExternalTenants tenants = g.getExternalTenants();
        String scope;
        if (tenants instanceof ConditionalAccessEnumeratedExternalTenants e) {
            List<String> members = e.getMembers() == null ? List.of() : new ArrayList<>(new TreeSet<>(e.getMembers()));
            scope = "tenants:" + String.join(",", members);
        } else if (tenants instanceof ConditionalAccessAllExternalTenants || tenants == null) {
            scope = "tenants:all";
        } else {
            scope = "tenants:" + (tenants.getMembershipKind() == null ? "all" : tenants.getMembershipKind().getValue());
        }
        String typeList = String.join(",", types);
        return new GuestRule("guestOrExternalUserTypes=" + typeList + ";" + scope,
                "Guests/external users (" + typeList + "; " + (scope.equals("tenants:all") ? "all external tenants"
                        : scope.replace("tenants:", "external tenants ")) + ")");
    }

    private static List<String> clean(List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        return ids.stream().filter(Objects::nonNull).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    // ---- what to read -------------------------------------------------------------------------------------------

    public static Set<String> idsToLookUp(Collection<MfaPolicy> policies) {
        Set<String> ids = new LinkedHashSet<>();
        for (MfaPolicy p : policies) {
            ids.addAll(p.users());
            ids.addAll(p.groups());
        }
        return ids;
    }

    public static Set<String> groups(Collection<MfaPolicy> policies) {
        return policies.stream().flatMap(p -> p.groups().stream()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static Set<String> roles(Collection<MfaPolicy> policies) {
        return policies.stream().flatMap(p -> p.roles().stream()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** App ids (GUIDs) to look up; the well-known literals (Office365, MicrosoftAdminPortals, All) need no read. */
    public static Set<String> appIds(Collection<MfaPolicy> policies) {
        return policies.stream().flatMap(p -> p.applications().stream())
                .filter(a -> !WELL_KNOWN_APPS.containsKey(a.toLowerCase(Locale.ROOT)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static boolean needsLocations(Collection<MfaPolicy> policies) {
        return policies.stream().flatMap(p -> p.locations().stream())
                .anyMatch(l -> !l.equalsIgnoreCase("AllTrusted") && !l.equals(LEGACY_MFA_TRUSTED_IPS));
    }

    // ---- resolution ---------------------------------------------------------------------------------------------

    /** Every (policy, principal, path), deduplicated, in policy order. */
    public static List<Detection> resolve(List<MfaPolicy> policies, Directory dir) {
        Map<String, Detection> out = new LinkedHashMap<>();
        Map<String, Map<String, List<List<String>>>> chainsCache = new HashMap<>();
        for (MfaPolicy p : policies) {
            PolicyRef ref = p.ref();
            for (String id : p.users()) {
                DirObject o = dir.objects.get(id);
                Principal principal = o == null ? Principal.unresolved(id, PrincipalType.USER) : principal(o);
                add(out, new Detection(ref, principal, Via.direct(principal.id())));
            }
            for (String g : p.groups()) {
                groupDetections(ref, g, List.of(), ViaKind.GROUP, g, name(dir, g), dir, chainsCache, out);
            }
            for (String role : p.roles()) {
                String roleName = BuiltInRoleNames.name(role);
                PathStep roleStep = new PathStep(ViaKind.ROLE, role, roleName);
                List<DirObject> holders = dir.roleHolders.get(role);
                if (holders == null || holders.isEmpty()) {
                    Principal rp = new Principal(role, PrincipalType.ROLE, null, roleName, null, null, holders != null,
                            null);
                    add(out, new Detection(ref, rp, new Via(ViaKind.ROLE, role, roleName, List.of(roleStep))));
                    continue;
                }
                for (DirObject h : holders) {
                    if (h.kind() == DirObject.Kind.GROUP) {
                        groupDetections(ref, h.id(), List.of(roleStep), ViaKind.ROLE, role, roleName, dir, chainsCache,
                                out);
                    } else {
                        add(out, new Detection(ref, principal(h), new Via(ViaKind.ROLE, role, roleName, List.of(roleStep))));
                    }
                }
            }
            for (GuestRule rule : p.guestRules()) {
                Principal gp = new Principal(rule.id(), PrincipalType.GUEST_RULE, null, rule.displayName(), null, null,
                        true, null);
                add(out, new Detection(ref, gp, new Via(ViaKind.GUEST_RULE, rule.id(), rule.displayName(), List.of())));
            }
            for (String app : p.applications()) {
                String known = WELL_KNOWN_APPS.get(app.toLowerCase(Locale.ROOT));
                Principal ap;
                if (known != null) {
                    ap = new Principal(app, PrincipalType.APPLICATION, null, known, null, null, true, null);
                } else {
                    DirObject sp = dir.applications.get(app.toLowerCase(Locale.ROOT));
                    ap = sp == null ? Principal.unresolved(app, PrincipalType.APPLICATION)
                            : new Principal(app, PrincipalType.APPLICATION, null, sp.displayName(), null,
                            sp.accountEnabled(), true, null);
                }
                add(out, new Detection(ref, ap, new Via(ViaKind.APPLICATION, app, ap.displayName(), List.of())));
            }
            for (String loc : p.locations()) {
                Principal lp;
                if (loc.equalsIgnoreCase("AllTrusted")) {
                    lp = new Principal(loc, PrincipalType.LOCATION, null, "All trusted locations", null, null, true, true);
                } else if (loc.equals(LEGACY_MFA_TRUSTED_IPS)) {
                    lp = new Principal(loc, PrincipalType.LOCATION, null, "MFA trusted IPs", null, null, true, true);
                } else {
                    NamedLoc nl = dir.locations.get(loc.toLowerCase(Locale.ROOT));
                    lp = nl == null ? Principal.unresolved(loc, PrincipalType.LOCATION)
                            : new Principal(loc, PrincipalType.LOCATION, null, nl.displayName(), null, null, true,
                            nl.trusted());
                }
                add(out, new Detection(ref, lp, new Via(ViaKind.LOCATION, loc, lp.displayName(), List.of())));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static void groupDetections(PolicyRef ref, String groupId, List<PathStep> prefix, ViaKind kind, String viaId,
                                        String viaName, Directory dir,
                                        Map<String, Map<String, List<List<String>>>> chainsCache,
                                        Map<String, Detection> out) {
        List<DirObject> members = dir.transitiveMembers.get(groupId);
        String groupName = name(dir, groupId);
        List<PathStep> groupPath = new ArrayList<>(prefix);
        groupPath.add(new PathStep(ViaKind.GROUP, groupId, groupName));
        boolean known = dir.objects.containsKey(groupId) || members != null;
        if (members == null || members.stream().noneMatch(m -> m.kind() != DirObject.Kind.GROUP)) {
            // a dangling (deleted) group, a group whose members could not be read, or one without user members:
            // the exclusion itself is reported
            Principal gp = known
                    ? new Principal(groupId, PrincipalType.GROUP, null, groupName, null, null, true, null)
                    : Principal.unresolved(groupId, PrincipalType.GROUP);
            add(out, new Detection(ref, gp, new Via(kind, viaId, viaName, groupPath)));
            return;
        }
        Map<String, List<List<String>>> chains = chainsCache.computeIfAbsent(groupId,
                g -> groupChains(g, dir.transitiveMembers));
        for (DirObject m : members) {
            if (m.kind() == DirObject.Kind.GROUP) {
                continue;
            }
            for (List<String> chain : chains.getOrDefault(m.id(), List.of(List.of(groupId)))) {
                List<PathStep> path = new ArrayList<>(prefix);
                for (String g : chain) {
                    path.add(new PathStep(ViaKind.GROUP, g, name(dir, g)));
                }
                add(out, new Detection(ref, principal(m), new Via(kind, viaId, viaName, path)));
            }
        }
    }

    /**
     * The group chains (outermost first, {@code root} included) through which each transitive member of {@code root}
     * belongs to it. Graph's {@code transitiveMembers} is flat, so direct membership is derived from the flat lists of
     * the root and of each nested group: a member of X counts as direct in X unless a nested group Y of X (one that
     * does not itself contain X, i.e. not in a cycle with it) also holds it. Cycles are guarded; a member held both
     * directly and through a nested group is reported through the nested group.
     */
    public static Map<String, List<List<String>>> groupChains(String root, Map<String, List<DirObject>> transitive) {
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        walk(root, new ArrayList<>(List.of(root)), transitive, out, new HashMap<>());
        return out;
    }

    private static void walk(String group, List<String> chain, Map<String, List<DirObject>> transitive,
                             Map<String, List<List<String>>> out, Map<String, List<DirObject>> directCache) {
        List<DirObject> direct = directCache.computeIfAbsent(group, g -> direct(g, transitive));
        for (DirObject m : direct) {
            if (m.kind() == DirObject.Kind.GROUP) {
                if (!chain.contains(m.id()) && transitive.containsKey(m.id())) {
                    chain.add(m.id());
                    walk(m.id(), chain, transitive, out, directCache);
                    chain.remove(chain.size() - 1);
                }
                continue;
            }
            List<List<String>> paths = out.computeIfAbsent(m.id(), k -> new ArrayList<>());
            if (paths.size() < MAX_PATHS_PER_PRINCIPAL) {
                paths.add(List.copyOf(chain));
            }
        }
    }

    private static List<DirObject> direct(String group, Map<String, List<DirObject>> transitive) {
        List<DirObject> all = transitive.getOrDefault(group, List.of());
        Set<String> covered = new HashSet<>();
        for (DirObject m : all) {
            if (m.kind() != DirObject.Kind.GROUP || m.id().equals(group)) {
                continue;
            }
            List<DirObject> inner = transitive.get(m.id());
            if (inner == null || inner.stream().anyMatch(x -> x.id().equals(group))) {
                continue; // unknown, or in a cycle with this group
            }
            inner.forEach(x -> covered.add(x.id()));
        }
        return all.stream().filter(m -> !covered.contains(m.id()) && !m.id().equals(group)).toList();
    }

    private static String name(Directory dir, String id) {
        DirObject o = dir.objects.get(id);
        return o == null ? null : o.displayName();
    }

    static Principal principal(DirObject o) {
        return switch (o.kind()) {
            case USER -> new Principal(o.id(), PrincipalType.USER, o.userPrincipalName(), o.displayName(), o.userType(),
                    o.accountEnabled(), true, null);
            case GROUP -> new Principal(o.id(), PrincipalType.GROUP, null, o.displayName(), null, null, true, null);
            case SERVICE_PRINCIPAL -> new Principal(o.id(), PrincipalType.SERVICE_PRINCIPAL, null, o.displayName(), null,
                    o.accountEnabled(), true, null);
            case OTHER -> new Principal(o.id(), PrincipalType.USER, null, o.displayName(), null, null, true, null);
        };
    }

    private static void add(Map<String, Detection> out, Detection d) {
        out.putIfAbsent(d.key(), d);
    }
}
