package io.mfagov.scanner.service;

import io.mfagov.model.events.ClosingPolicy;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;
import io.mfagov.scanner.policy.CaPolicy;
import io.mfagov.scanner.policy.PolicyRules;
import io.mfagov.scanner.policy.PolicyRules.GrantDecision;
import io.mfagov.scanner.policy.PolicyRules.Hole;
import io.mfagov.scanner.policy.PolicyRules.Location;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.mfagov.scanner.policy.CaPolicy.containsIgnoreCase;

/**
 * Pure logic, no I/O: which policies require MFA (Entra's semantics), what they exclude and leave out, and how the
 * directory data the scanner read turns those exclusions into concrete principals with their paths, scope, PIM
 * eligibility and shadowing. See docs/scan-semantics.md.
 */
public final class ExclusionResolver {

    /** The literal in {@code includeUsers}/{@code excludeUsers} that stands for all guests and external users. */
    public static final String GUESTS_OR_EXTERNAL_USERS = "GuestsOrExternalUsers";
    /** Maximum number of distinct group chains reported for one principal under one excluded group. */
    static final int MAX_PATHS_PER_PRINCIPAL = 16;
    /** Deepest group nesting followed when naming a member's chain. */
    static final int MAX_DEPTH = 32;

    private static final Map<String, String> WELL_KNOWN_APPS = Map.of(
            "office365", "Office 365",
            "microsoftadminportals", "Microsoft Admin Portals",
            "all", "All cloud apps");

    private ExclusionResolver() {
    }

    /** A guest/external-user rule, named so that the same rule always gets the same id. */
    public record GuestRule(String id, String displayName) {
    }

    /**
     * A policy whose exclusions matter: an enabled or report-only policy that requires MFA, or an enabled block of
     * legacy authentication ({@code legacyBlocked} non-empty: excluding someone from it is a single-factor path).
     */
    public record MfaPolicy(CaPolicy policy, PolicyRef ref, GrantDecision grant, String target, List<String> users,
                            List<String> groups, List<String> roles, List<GuestRule> guestRules,
                            List<String> applications, List<String> locations, Set<String> legacyBlocked) {

        public MfaPolicy(PolicyRef ref, List<String> users, List<String> groups, List<String> roles,
                         List<GuestRule> guestRules, List<String> applications, List<String> locations) {
            this(null, ref, null, null, users, groups, roles, guestRules, applications, locations, Set.of());
        }

        boolean isLegacyBlock() {
            return !legacyBlocked.isEmpty();
        }
    }

    /** What the scan read from the directory (absent keys = not read, or the read failed). */
    public static final class Directory {
        /** Objects returned by getByIds, the user list, transitive members and role principals, by object id. */
        public final Map<String, DirObject> objects = new HashMap<>();
        /** True once every getByIds call succeeded: ids missing from the answers are then truly unresolved. */
        public boolean idsRead;
        /** Transitive members per group id (read successfully). */
        public final Map<String, List<DirObject>> transitiveMembers = new HashMap<>();
        /** Groups Graph answered 404 for. */
        public final Set<String> missingGroups = new HashSet<>();
        /** Tenant-wide active role holders per role template id (read successfully). */
        public final Map<String, List<DirObject>> roleHolders = new HashMap<>();
        /** True when every active role assignment of the tenant was read (then a role absent here has no holder). */
        public boolean allRolesRead;
        /** PIM-eligible principal ids per role template id, tenant-wide scope; null when not read. */
        public Map<String, List<String>> eligibleRoleHolders;
        /** PIM-eligible member ids per group id (PIM for Groups), for the groups read. */
        public final Map<String, List<String>> eligibleGroupMembers = new HashMap<>();
        /** Service principals by app id (lower case). */
        public final Map<String, DirObject> applications = new HashMap<>();
        public boolean applicationsRead;
        /** Named locations by id (lower case). */
        public final Map<String, Location> locations = new HashMap<>();
        public boolean locationsRead;
        /** Every enabled user of the tenant, when listed. */
        public List<DirObject> enabledUsers;
        /** Security defaults on/off; null when not read. */
        public Boolean securityDefaults;
        /** Decisions this resolution could not make with certainty (they make the tenant PARTIAL). */
        public final List<String> problems = new ArrayList<>();

        private final Map<String, Set<String>> groupUsersCache = new HashMap<>();
        private final Map<String, Set<String>> roleUsersCache = new HashMap<>();

        /** User ids in a group, transitively; null when the group's members were not read. */
        public Set<String> groupUsers(String groupId) {
            if (groupUsersCache.containsKey(groupId)) {
                return groupUsersCache.get(groupId);
            }
            List<DirObject> members = transitiveMembers.get(groupId);
            Set<String> out = members == null ? (missingGroups.contains(groupId) ? Set.of() : null)
                    : members.stream().filter(m -> m.kind() == DirObject.Kind.USER).map(DirObject::id)
                    .collect(Collectors.toSet());
            groupUsersCache.put(groupId, out);
            return out;
        }

        /** User ids actively holding a role tenant-wide, directly or through a role-assignable group; null if unread. */
        public Set<String> roleUsers(String roleId) {
            if (roleUsersCache.containsKey(roleId)) {
                return roleUsersCache.get(roleId);
            }
            List<DirObject> holders = roleHolders.get(roleId);
            if (holders == null && allRolesRead) {
                holders = List.of();
            }
            Set<String> out = null;
            if (holders != null) {
                out = new HashSet<>();
                for (DirObject h : holders) {
                    if (h.kind() == DirObject.Kind.USER) {
                        out.add(h.id());
                    } else if (h.kind() == DirObject.Kind.GROUP) {
                        Set<String> members = groupUsers(h.id());
                        if (members == null) {
                            out = null;
                            break;
                        }
                        out.addAll(members);
                    }
                }
            }
            roleUsersCache.put(roleId, out);
            return out;
        }

        /** User ids eligible (PIM) for a role, directly or as members of an eligible group; null if unread. */
        public Set<String> eligibleRoleUsers(String roleId) {
            if (eligibleRoleHolders == null) {
                return null;
            }
            Set<String> out = new HashSet<>();
            for (String id : eligibleRoleHolders.getOrDefault(roleId, List.of())) {
                DirObject o = objects.get(id);
                if (o != null && o.kind() == DirObject.Kind.GROUP) {
                    Set<String> members = groupUsers(id);
                    if (members != null) {
                        out.addAll(members);
                    }
                } else {
                    out.add(id);
                }
            }
            return out;
        }
    }

    // ---- policies -----------------------------------------------------------------------------------------------

    /**
     * Whether the grant may require MFA before authentication strengths are looked up: {@code mfa}, an
     * authentication strength or a custom control — the policies whose targets must be read.
     */
    public static boolean mayRequireMfa(CaPolicy p) {
        CaPolicy.Grant g = p.grant();
        return g != null && !g.has("block") && (g.has("mfa") || g.strength() != null || !g.customControls().isEmpty());
    }

    /** Whether a policy's targets must be read: it may require MFA, or it is an enabled block. */
    public static boolean relevant(CaPolicy p) {
        return p.state() != PolicyState.DISABLED && (mayRequireMfa(p)
                || p.state() == PolicyState.ENABLED && p.grant() != null && p.grant().has("block"));
    }

    /**
     * The enabled or report-only policies that require MFA, and the enabled blocks of legacy authentication, with
     * their exclusions. Disabled and non-MFA policies are left out. Policies Graph answered malformed (no id, unknown
     * state) are left out and named in {@code problems}; so is a strength that could not be looked up.
     */
    public static List<MfaPolicy> mfaPolicies(List<CaPolicy> policies, Map<String, CaPolicy.Strength> strengths,
                                              List<String> problems) {
        List<MfaPolicy> out = new ArrayList<>();
        for (CaPolicy p : policies) {
            if (p == null) {
                continue;
            }
            GrantDecision grant = PolicyRules.grant(p, strengths);
            Set<String> legacy = PolicyRules.legacyClientsBlocked(p, grant);
            if (!grant.requiresMfa() && legacy.isEmpty() && grant.problem() == null) {
                continue;
            }
            if (p.id() == null || p.id().isBlank()) {
                problems.add("policy '" + p.displayName() + "': Graph returned it without an id");
                continue;
            }
            if (p.state() == null || p.state() == PolicyState.UNKNOWN) {
                problems.add("policy " + p.id() + ": missing or unknown state " + p.rawState());
                continue;
            }
            if (p.state() == PolicyState.DISABLED) {
                continue;
            }
            if (!p.users().present() && p.conditions().clientApplications() == null) {
                problems.add("policy " + p.id() + ": conditions.users missing");
                continue;
            }
            if (grant.problem() != null) {
                problems.add(grant.problem());
                if (!grant.requiresMfa()) {
                    continue;
                }
            }
            MfaRequirement requirement = grant.requiresMfa() ? grant.requirement() : MfaRequirement.BLOCK;
            PolicyRef ref = new PolicyRef(p.id(), p.displayName(), p.state(), requirement,
                    requirement == MfaRequirement.AUTH_STRENGTH ? grant.strength() : null,
                    requirement == MfaRequirement.CUSTOM_CONTROL ? grant.customControl() : null);
            CaPolicy.Users u = p.users();
            List<String> users = new ArrayList<>();
            List<GuestRule> guests = new ArrayList<>();
            for (String id : u.excludeUsers()) {
                if (id.equalsIgnoreCase(GUESTS_OR_EXTERNAL_USERS)) {
                    guests.add(new GuestRule(GUESTS_OR_EXTERNAL_USERS, "All guests and external users"));
                } else if (!id.equalsIgnoreCase("None")) {
                    users.add(id);
                }
            }
            GuestRule rule = guestRule(u.excludeGuests());
            if (rule != null) {
                guests.add(rule);
            }
            boolean block = !grant.requiresMfa();
            out.add(new MfaPolicy(p, ref, grant, PolicyRules.target(p), users, u.excludeGroups(), u.excludeRoles(),
                    guests, block ? List.of() : p.applications().exclude(),
                    block || p.conditions().excludeLocations() == null ? List.of() : p.conditions().excludeLocations(),
                    block ? legacy : Set.of()));
        }
        return out;
    }

    /** {@code excludeGuestsOrExternalUsers} as a rule: its user types (sorted) and external tenants. */
    static GuestRule guestRule(CaPolicy.GuestSpec g) {
        if (g == null || g.types().isEmpty()) {
            return null;
        }
        Set<String> types = new TreeSet<>(g.types());
        String scope = g.allTenants() ? "tenants:all" : "tenants:" + String.join(",", new TreeSet<>(g.tenants()));
        String typeList = String.join(",", types);
        return new GuestRule("guestOrExternalUserTypes=" + typeList + ";" + scope,
                "Guests/external users (" + typeList + "; " + (scope.equals("tenants:all") ? "all external tenants"
                        : scope.replace("tenants:", "external tenants ")) + ")");
    }

    // ---- what to read -------------------------------------------------------------------------------------------

    /** User and group ids to look up: excluded and included ones of every relevant policy. */
    public static Set<String> idsToLookUp(Collection<CaPolicy> policies) {
        Set<String> ids = new LinkedHashSet<>();
        for (CaPolicy p : policies) {
            CaPolicy.Users u = p.users();
            u.excludeUsers().stream().filter(ExclusionResolver::isObjectId).forEach(ids::add);
            u.includeUsers().stream().filter(ExclusionResolver::isObjectId).forEach(ids::add);
            ids.addAll(u.excludeGroups());
            ids.addAll(u.includeGroups());
        }
        return ids;
    }

    /** Groups whose members must be read: excluded and included ones. */
    public static Set<String> groups(Collection<CaPolicy> policies) {
        Set<String> out = new LinkedHashSet<>();
        for (CaPolicy p : policies) {
            out.addAll(p.users().excludeGroups());
            out.addAll(p.users().includeGroups());
        }
        return out;
    }

    /** Excluded groups: their PIM-eligible members are read (PIM for Groups). */
    public static Set<String> excludedGroups(Collection<CaPolicy> policies) {
        return policies.stream().flatMap(p -> p.users().excludeGroups().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** App ids (GUIDs) to look up; the well-known literals (Office365, MicrosoftAdminPortals, All) need no read. */
    public static Set<String> appIds(Collection<CaPolicy> policies) {
        return policies.stream().flatMap(p -> p.applications().exclude().stream())
                .filter(a -> !WELL_KNOWN_APPS.containsKey(a.toLowerCase(Locale.ROOT)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Whether named locations must be read: a policy names one (included or excluded), or all trusted ones. */
    public static boolean needsLocations(Collection<CaPolicy> policies) {
        for (CaPolicy p : policies) {
            CaPolicy.Conditions c = p.conditions();
            for (List<String> list : java.util.Arrays.asList(c.includeLocations(), c.excludeLocations())) {
                if (list != null && list.stream().anyMatch(l -> !l.equalsIgnoreCase("All")
                        && !l.equals(PolicyRules.LEGACY_MFA_TRUSTED_IPS))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether any relevant policy needs an authentication strength looked up (it does not carry its requirement). */
    public static boolean needsStrengths(Collection<CaPolicy> policies) {
        return policies.stream().map(CaPolicy::grant).filter(g -> g != null && g.strength() != null)
                .anyMatch(g -> g.strength().requirementsSatisfied() == null);
    }

    private static boolean isObjectId(String id) {
        return !id.equalsIgnoreCase("All") && !id.equalsIgnoreCase("None")
                && !id.equalsIgnoreCase(GUESTS_OR_EXTERNAL_USERS);
    }

    // ---- scope --------------------------------------------------------------------------------------------------

    /** Whether the policy's include side targets the user: TRUE, FALSE, or null when a read it needs failed. */
    public static Boolean includes(CaPolicy p, DirObject user, Directory dir) {
        CaPolicy.Users s = p.users();
        return targets(s.includeUsers(), s.includeGroups(), s.includeRoles(), s.includeGuests(), user, dir, true);
    }

    /** Whether the policy's exclude side removes the user: TRUE, FALSE, or null when undecided. */
    public static Boolean excludes(CaPolicy p, DirObject user, Directory dir) {
        CaPolicy.Users s = p.users();
        return targets(s.excludeUsers(), s.excludeGroups(), s.excludeRoles(), s.excludeGuests(), user, dir, false);
    }

    private static Boolean targets(List<String> users, List<String> groups, List<String> roles,
                                   CaPolicy.GuestSpec guests, DirObject user, Directory dir, boolean include) {
        if (include && containsIgnoreCase(users, "All")) {
            return true;
        }
        if (containsIgnoreCase(users, user.id())) {
            return true;
        }
        if (containsIgnoreCase(users, GUESTS_OR_EXTERNAL_USERS) && isExternal(user)) {
            return true;
        }
        boolean undecided = false;
        if (guests != null) {
            Boolean match = guestMatches(guests, user);
            if (Boolean.TRUE.equals(match)) {
                return true;
            }
            undecided = match == null;
        }
        for (String g : groups) {
            Set<String> members = dir.groupUsers(g);
            if (members == null) {
                undecided = true;
            } else if (members.contains(user.id())) {
                return true;
            }
        }
        for (String r : roles) {
            Set<String> holders = dir.roleUsers(r);
            if (holders == null) {
                undecided = true;
            } else if (holders.contains(user.id())) {
                return true;
            }
        }
        return undecided ? null : false;
    }

    /** A guest (userType Guest) or an external member (B2B collaboration member, {@code #EXT#} in the UPN). */
    static boolean isExternal(DirObject u) {
        return "Guest".equalsIgnoreCase(u.userType())
                || u.userPrincipalName() != null && u.userPrincipalName().contains("#EXT#");
    }

    /**
     * Whether a guest/external-user rule matches a directory user: B2B collaboration guests and internal guests are
     * userType Guest; B2B collaboration members are members with {@code #EXT#}; direct-connect users and service
     * providers are not directory users. A rule limited to some external tenants is undecided for an external
     * user (the home tenant is not read).
     */
    static Boolean guestMatches(CaPolicy.GuestSpec spec, DirObject u) {
        boolean guest = "Guest".equalsIgnoreCase(u.userType());
        boolean externalMember = !guest && isExternal(u);
        boolean typeMatch = false;
        for (String t : spec.types()) {
            String type = t.toLowerCase(Locale.ROOT);
            if (guest && (type.equals("b2bcollaborationguest") || type.equals("internalguest")
                    || type.equals("otherexternaluser"))
                    || externalMember && (type.equals("b2bcollaborationmember") || type.equals("otherexternaluser"))) {
                typeMatch = true;
            }
        }
        if (!typeMatch) {
            return false;
        }
        return spec.allTenants() ? Boolean.TRUE : null;
    }

    // ---- resolution ---------------------------------------------------------------------------------------------

    /** Every (policy, principal, path) and every hole, deduplicated, in policy order. */
    public static List<Detection> resolve(List<MfaPolicy> policies, Directory dir) {
        Map<String, Detection> out = new LinkedHashMap<>();
        Map<String, Map<String, List<List<String>>>> chainsCache = new HashMap<>();
        List<MfaPolicy> clean = policies.stream().filter(p -> p.policy() != null && isClean(p, policies)).toList();
        Set<String> legacyClosedForAll = new LinkedHashSet<>();
        ClosingPolicy closer = null;
        for (MfaPolicy b : policies) {
            if (b.isLegacyBlock() && b.policy() != null && containsIgnoreCase(b.policy().users().includeUsers(), "All")) {
                legacyClosedForAll.addAll(b.legacyBlocked());
                closer = closer == null ? new ClosingPolicy(b.ref().id(), b.ref().displayName()) : closer;
            }
        }
        for (MfaPolicy p : policies) {
            Ctx ctx = new Ctx(p, dir, clean, out, chainsCache);
            for (String id : p.users()) {
                DirObject o = dir.objects.get(id);
                if (o == null) {
                    ctx.add(Principal.unresolved(id, PrincipalType.USER), Via.direct(id), null, null, false);
                } else if (o.kind() == DirObject.Kind.USER) {
                    ctx.addUser(o, Via.direct(id), false);
                } else {
                    ctx.add(principal(o), Via.direct(id), null, null, false);
                }
            }
            for (String g : p.groups()) {
                ctx.group(g, List.of(), ViaKind.GROUP, g, name(dir, g), false);
                List<String> eligible = dir.eligibleGroupMembers.get(g);
                if (eligible != null) {
                    PathStep step = new PathStep(ViaKind.GROUP, g, name(dir, g));
                    for (String id : eligible) {
                        ctx.member(id, List.of(step), ViaKind.GROUP, g, name(dir, g), true);
                    }
                }
            }
            for (String role : p.roles()) {
                ctx.role(role);
            }
            for (GuestRule rule : p.guestRules()) {
                Principal gp = new Principal(rule.id(), PrincipalType.GUEST_RULE, null, rule.displayName(), null, null,
                        true, null);
                boolean includesGuests = p.policy() != null && (containsIgnoreCase(p.policy().users().includeUsers(), "All")
                        || containsIgnoreCase(p.policy().users().includeUsers(), GUESTS_OR_EXTERNAL_USERS)
                        || p.policy().users().includeGuests() != null);
                List<String> unknownTypes = p.policy() == null ? List.of() : p.policy().unknownValues().stream()
                        .filter(v -> v.startsWith("excludeGuestsOrExternalUsers")).map(v -> "unknownValue:" + v).toList();
                ctx.put(new Detection(p.ref(), gp, new Via(ViaKind.GUEST_RULE, rule.id(), rule.displayName(), List.of()),
                        includesGuests ? Boolean.TRUE : null, p.target(), false, null, null, null,
                        merge(unknownTypes, p.grant() == null ? List.of() : p.grant().flags())));
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
                ctx.add(ap, new Via(ViaKind.APPLICATION, app, ap.displayName(), List.of()), null,
                        holeShadowed(p, clean), false);
            }
            for (String loc : p.locations()) {
                ctx.location(loc, holeShadowed(p, clean));
            }
            if (!p.isLegacyBlock() && p.policy() != null) {
                for (Hole h : PolicyRules.holes(p.policy(), p.grant(), dir.locationsRead ? dir.locations : null)) {
                    boolean closed = h.type() == PrincipalType.CLIENT_APP_TYPE
                            && legacyClosedForAll.contains(h.id().substring("clientAppType:".length()));
                    Principal hp = new Principal(h.id(), h.type(), null, h.displayName(), null, null, true, null);
                    ctx.put(new Detection(p.ref(), hp, new Via(ViaKind.CONDITION, h.id(), h.displayName(), List.of()),
                            null, p.target(), null, holeShadowed(p, clean), closed ? closer : null, h.details(),
                            merge(h.flags(), p.grant().flags())));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The state of one policy's resolution. */
    private static final class Ctx {
        private final MfaPolicy p;
        private final Directory dir;
        private final List<MfaPolicy> clean;
        private final Map<String, Detection> out;
        private final Map<String, Map<String, List<List<String>>>> chainsCache;

        Ctx(MfaPolicy p, Directory dir, List<MfaPolicy> clean, Map<String, Detection> out,
            Map<String, Map<String, List<List<String>>>> chainsCache) {
            this.p = p;
            this.dir = dir;
            this.clean = clean;
            this.out = out;
            this.chainsCache = chainsCache;
        }

        void put(Detection d) {
            out.putIfAbsent(d.key(), d);
        }

        void add(Principal principal, Via via, Boolean inScope, Boolean shadowed, boolean eligible) {
            put(new Detection(p.ref(), principal, via, inScope, p.target(), eligible ? Boolean.TRUE : Boolean.FALSE,
                    shadowed, null, null, p.grant() == null ? List.of() : p.grant().flags()));
        }

        void addUser(DirObject user, Via via, boolean eligible) {
            Boolean inScope = p.policy() == null ? null : includes(p.policy(), user, dir);
            add(principal(user), via, inScope, shadowed(p, user, clean, dir), eligible);
        }

        /** A principal reached through a path: users become rows; groups are expanded; other objects are skipped. */
        void member(String id, List<PathStep> prefix, ViaKind kind, String viaId, String viaName, boolean eligible) {
            DirObject o = dir.objects.get(id);
            if (o == null) {
                add(Principal.unresolved(id, PrincipalType.DIRECTORY_OBJECT), new Via(kind, viaId, viaName, prefix),
                        null, null, eligible);
            } else if (o.kind() == DirObject.Kind.USER) {
                addUser(o, new Via(kind, viaId, viaName, prefix), eligible);
            } else if (o.kind() == DirObject.Kind.GROUP) {
                group(o.id(), prefix, kind, viaId, viaName, eligible);
            }
            // devices, contacts and service principals are not users: CA user conditions do not apply to them
        }

        void role(String role) {
            String roleName = BuiltInRoleNames.name(role);
            PathStep roleStep = new PathStep(ViaKind.ROLE, role, roleName);
            List<DirObject> holders = dir.roleHolders.get(role);
            boolean read = holders != null || dir.allRolesRead;
            List<String> eligible = dir.eligibleRoleHolders == null ? List.of()
                    : dir.eligibleRoleHolders.getOrDefault(role, List.of());
            if ((holders == null || holders.isEmpty()) && eligible.isEmpty()) {
                Principal rp = new Principal(role, PrincipalType.ROLE, null, roleName, null, null, read, null);
                add(rp, new Via(ViaKind.ROLE, role, roleName, List.of(roleStep)), null, null, false);
                return;
            }
            for (DirObject h : holders == null ? List.<DirObject>of() : holders) {
                if (h.kind() == DirObject.Kind.GROUP) {
                    group(h.id(), List.of(roleStep), ViaKind.ROLE, role, roleName, false);
                } else if (h.kind() == DirObject.Kind.USER) {
                    addUser(h, new Via(ViaKind.ROLE, role, roleName, List.of(roleStep)), false);
                } else if (h.kind() == DirObject.Kind.OTHER && h.displayName() == null) {
                    add(Principal.unresolved(h.id(), PrincipalType.DIRECTORY_OBJECT),
                            new Via(ViaKind.ROLE, role, roleName, List.of(roleStep)), null, null, false);
                } else {
                    add(principal(h), new Via(ViaKind.ROLE, role, roleName, List.of(roleStep)), null, null, false);
                }
            }
            for (String id : eligible) {
                member(id, List.of(roleStep), ViaKind.ROLE, role, roleName, true);
            }
        }

        void group(String groupId, List<PathStep> prefix, ViaKind kind, String viaId, String viaName, boolean eligible) {
            List<DirObject> members = dir.transitiveMembers.get(groupId);
            String groupName = name(dir, groupId);
            List<PathStep> groupPath = new ArrayList<>(prefix);
            groupPath.add(new PathStep(ViaKind.GROUP, groupId, groupName));
            boolean known = dir.objects.containsKey(groupId) || members != null;
            if (members == null || members.stream().noneMatch(m -> m.kind() == DirObject.Kind.USER)) {
                // a dangling (deleted) group, a group whose members could not be read, or one without user members:
                // the exclusion itself is reported
                Principal gp = known
                        ? new Principal(groupId, PrincipalType.GROUP, null, groupName, null, null, true, null)
                        : Principal.unresolved(groupId, PrincipalType.GROUP);
                add(gp, new Via(kind, viaId, viaName, groupPath), null, null, eligible);
                return;
            }
            Map<String, List<List<String>>> chains = chainsCache.computeIfAbsent(groupId, g -> {
                Map<String, List<List<String>>> c = groupChains(g, dir.transitiveMembers);
                if (c.containsKey(TRUNCATED)) {
                    dir.problems.add("group " + g + ": member paths cut at the depth or path limit");
                    c.remove(TRUNCATED);
                }
                return c;
            });
            for (DirObject m : members) {
                if (m.kind() != DirObject.Kind.USER) {
                    continue;
                }
                for (List<String> chain : chains.getOrDefault(m.id(), List.of(List.of(groupId)))) {
                    List<PathStep> path = new ArrayList<>(prefix);
                    for (String g : chain) {
                        path.add(new PathStep(ViaKind.GROUP, g, name(dir, g)));
                    }
                    addUser(m, new Via(kind, viaId, viaName, path), eligible);
                }
            }
        }

        void location(String loc, Boolean shadowed) {
            if (loc.equalsIgnoreCase("AllTrusted")) {
                PathStep all = new PathStep(ViaKind.LOCATION, loc, "All trusted locations");
                if (dir.locationsRead) {
                    for (Location l : dir.locations.values().stream()
                            .sorted(java.util.Comparator.comparing(Location::id)).toList()) {
                        if (l.trusted()) {
                            putLocation(new Principal(l.id(), PrincipalType.LOCATION, null, l.displayName(), null, null,
                                    true, true), new Via(ViaKind.LOCATION, loc, "All trusted locations",
                                    List.of(all, new PathStep(ViaKind.LOCATION, l.id(), l.displayName()))),
                                    locationDetails(l), List.of(), shadowed);
                        }
                    }
                }
                putLocation(new Principal(PolicyRules.LEGACY_MFA_TRUSTED_IPS, PrincipalType.LOCATION, null,
                                "MFA trusted IPs (legacy MFA service settings)", null, null, true, true),
                        new Via(ViaKind.LOCATION, loc, "All trusted locations",
                                List.of(all, new PathStep(ViaKind.LOCATION, PolicyRules.LEGACY_MFA_TRUSTED_IPS,
                                        "MFA trusted IPs"))),
                        Map.of("note", "All trusted locations also covers the legacy MFA service's trusted IPs, which"
                                + " Graph cannot read"), List.of("legacyMfaTrustedIps"), shadowed);
                return;
            }
            if (loc.equals(PolicyRules.LEGACY_MFA_TRUSTED_IPS)) {
                putLocation(new Principal(loc, PrincipalType.LOCATION, null, "MFA trusted IPs", null, null, true, true),
                        new Via(ViaKind.LOCATION, loc, "MFA trusted IPs", List.of()),
                        Map.of("note", "the legacy MFA service's trusted IPs, which Graph cannot read"),
                        List.of("legacyMfaTrustedIps"), shadowed);
                return;
            }
            Location nl = dir.locations.get(loc.toLowerCase(Locale.ROOT));
            Principal lp = nl == null ? Principal.unresolved(loc, PrincipalType.LOCATION)
                    : new Principal(loc, PrincipalType.LOCATION, null, nl.displayName(), null, null, true, nl.trusted());
            putLocation(lp, new Via(ViaKind.LOCATION, loc, lp.displayName(), List.of()),
                    nl == null ? Map.of() : locationDetails(nl), List.of(), shadowed);
        }

        private void putLocation(Principal lp, Via via, Map<String, String> details, List<String> flags, Boolean shadowed) {
            put(new Detection(p.ref(), lp, via, null, p.target(), false, shadowed, null, details,
                    merge(flags, p.grant() == null ? List.of() : p.grant().flags())));
        }
    }

    private static Map<String, String> locationDetails(Location l) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kind", l.kind());
        if (!l.ranges().isEmpty()) {
            d.put("ipRanges", String.join(", ", l.ranges()));
        }
        if (!l.countries().isEmpty()) {
            d.put("countriesAndRegions", String.join(", ", l.countries()));
        }
        return d;
    }

    private static List<String> merge(List<String> a, List<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    // ---- coverage rules -----------------------------------------------------------------------------------------

    /**
     * A policy that requires MFA of everyone it includes everywhere: enabled, strict grant (no OR alternative), all
     * cloud apps with none excluded, no excluded location and no condition hole — client-app holes closed by an
     * enabled legacy-authentication block that includes all users excepted.
     */
    static boolean isClean(MfaPolicy p, List<MfaPolicy> all) {
        if (p.policy() == null || p.isLegacyBlock() || p.ref().state() != PolicyState.ENABLED || !p.grant().strict()
                || !PolicyRules.allAppsWithoutExclusion(p.policy()) || !p.locations().isEmpty()) {
            return false;
        }
        Set<String> closedForAll = new HashSet<>();
        for (MfaPolicy b : all) {
            if (b.isLegacyBlock() && containsIgnoreCase(b.policy().users().includeUsers(), "All")
                    && b.users().isEmpty() && b.groups().isEmpty() && b.roles().isEmpty() && b.guestRules().isEmpty()) {
                closedForAll.addAll(b.legacyBlocked());
            }
        }
        return openHoles(p, closedForAll).isEmpty();
    }

    /** The holes of a policy other than client-app holes closed by a legacy block. */
    static List<Hole> openHoles(MfaPolicy p, Set<String> closedLegacy) {
        return PolicyRules.holes(p.policy(), p.grant(), null).stream()
                .filter(h -> h.type() != PrincipalType.CUSTOM_CONTROL)
                .filter(h -> !(h.type() == PrincipalType.CLIENT_APP_TYPE
                        && closedLegacy.contains(h.id().substring("clientAppType:".length()))))
                .toList();
    }

    /** Another clean policy still requires MFA of the user: the exclusion from {@code p} opens nothing new. */
    static Boolean shadowed(MfaPolicy p, DirObject user, List<MfaPolicy> clean, Directory dir) {
        boolean undecided = false;
        for (MfaPolicy q : clean) {
            if (q == p) {
                continue;
            }
            Boolean in = includes(q.policy(), user, dir);
            Boolean out = excludes(q.policy(), user, dir);
            if (Boolean.TRUE.equals(in) && Boolean.FALSE.equals(out)) {
                return true;
            }
            if (in == null || out == null) {
                undecided = true;
            }
        }
        return undecided ? null : false;
    }

    /** A hole of {@code p} is shadowed when another clean policy includes all users and excludes nobody. */
    static Boolean holeShadowed(MfaPolicy p, List<MfaPolicy> clean) {
        for (MfaPolicy q : clean) {
            if (q != p && containsIgnoreCase(q.policy().users().includeUsers(), "All") && q.users().isEmpty()
                    && q.groups().isEmpty() && q.roles().isEmpty() && q.guestRules().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // ---- group chains -------------------------------------------------------------------------------------------

    /** Key in {@link #groupChains}' answer marking that some paths were cut at the depth or path limit. */
    static final String TRUNCATED = "\u0000truncated";

    /**
     * The group chains (outermost first, {@code root} included) through which each transitive member of {@code root}
     * belongs to it. Graph's {@code transitiveMembers} is flat, so direct membership is derived from the flat lists of
     * the root and of each nested group: a member of X counts as direct in X unless a nested group Y of X (one that
     * does not itself contain X, i.e. not in a cycle with it) also holds it. Cycles are guarded; a member held both
     * directly and through a nested group is reported through the nested group. When a chain is cut (depth or path
     * limit) the answer carries the key {@link #TRUNCATED}.
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
                    if (chain.size() >= MAX_DEPTH) {
                        out.put(TRUNCATED, List.of());
                        continue;
                    }
                    chain.add(m.id());
                    walk(m.id(), chain, transitive, out, directCache);
                    chain.remove(chain.size() - 1);
                }
                continue;
            }
            List<List<String>> paths = out.computeIfAbsent(m.id(), k -> new ArrayList<>());
            if (paths.size() < MAX_PATHS_PER_PRINCIPAL) {
                paths.add(List.copyOf(chain));
            } else {
                out.put(TRUNCATED, List.of());
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
            case OTHER -> new Principal(o.id(), PrincipalType.DIRECTORY_OBJECT, null, o.displayName(), null, null,
                    o.displayName() != null, null);
        };
    }
}
