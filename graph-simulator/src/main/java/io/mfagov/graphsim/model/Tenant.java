package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.internal.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One simulated tenant: its directory, policies and logs. The directory is immutable after construction;
 * conditional access policies (PATCH) and the security defaults switch can change at run time.
 */
public final class Tenant {

    /**
     * A CA policy held as its normalised JSON (lists concatenate the bytes; no per-request serialisation):
     * {@code json} with every enum member as stored, {@code knownMembersJson} as a client without
     * {@code Prefer: include-unknown-enum-members} sees it (the same array when nothing differs).
     */
    public record PolicyEntry(String id, byte[] json, byte[] knownMembersJson) {

        static PolicyEntry of(String id, ObjectNode normalized) {
            byte[] all = Json.bytes(normalized);
            ObjectNode known = EvolvableEnums.knownMembersOnlyPolicy(normalized);
            return new PolicyEntry(id, all, known == normalized ? all : Json.bytes(known));
        }

        /** The JSON a request sees: every member when it opted in to unknown enum members, else the known ones. */
        public byte[] json(boolean includeUnknownEnumMembers) {
            return includeUnknownEnumMembers ? json : knownMembersJson;
        }
    }

    private static final Set<String> MFA_METHODS = Set.of("microsoftAuthenticatorPush", "softwareOneTimePasscode",
            "hardwareOneTimePasscode", "mobilePhone", "alternateMobilePhone", "officePhone", "fido2",
            "windowsHelloForBusiness", "microsoftAuthenticatorPasswordless", "passKeyDeviceBound",
            "passKeyDeviceBoundAuthenticator", "passKeyDeviceBoundWindowsHello", "temporaryAccessPass");
    private static final Set<String> PASSWORDLESS_METHODS = Set.of("fido2", "windowsHelloForBusiness",
            "microsoftAuthenticatorPasswordless", "passKeyDeviceBound", "passKeyDeviceBoundAuthenticator",
            "passKeyDeviceBoundWindowsHello");
    private static final Set<String> SSPR_METHODS = Set.of("mobilePhone", "email", "microsoftAuthenticatorPush",
            "softwareOneTimePasscode", "alternateMobilePhone", "officePhone");

    private final String id;
    private volatile String displayName;
    private final String domain;
    private final String createdDateTime;
    private final String countryLetterCode;
    private final String description;
    private final String clientId;
    private final String clientSecret;
    private final List<User> users;
    private final List<Group> groups;
    private final List<ServicePrincipal> servicePrincipals;
    private final List<RoleAssignment> roleAssignments;
    private final Map<String, DirectoryObject> byId;
    private final Map<String, User> byUpn;
    private final Set<String> adminUserIds;
    private final List<ObjectNode> namedLocations;
    private final List<ObjectNode> customStrengths;
    private final Map<String, ObjectNode> strengthsById;
    private final boolean strengthAsGiven;
    private final List<RoleEligibility> roleEligibilities;
    private final List<GroupEligibility> groupEligibilities;
    private final boolean pimLicensed;
    private final boolean premiumLicensed;
    private final SignInLog signIns;
    private volatile List<PolicyEntry> policies;
    private volatile boolean securityDefaultsEnabled;
    private final Object policyLock = new Object();
    /** Application permissions granted to the simulated app (the token's roles claim); replaced as a whole. */
    private volatile Set<String> grantedPermissions;
    /** The partner view (contracts, GDAP) when this is a partner tenant, else null. */
    private final PartnerData partner;
    /** A custom default domain (verifiedDomains isDefault), or null when the initial domain is the default. */
    private final String defaultDomain;
    /** Admin consent of other apps in this tenant: lower-case client id → granted application permissions. */
    private final Map<String, Set<String>> consents = new ConcurrentHashMap<>();
    /** Apps whose implicit presence (this tenant's own app, the MSP app) was revoked: lower-case client ids. */
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    /** Every successful write, oldest first. */
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    /** Patches another administrator applies right after the next successful write of a policy (by policy id). */
    private final Map<String, ObjectNode> editsAfterNextWrite = new ConcurrentHashMap<>();
    /** The last modifiedDateTime given: writes in the same instant still get increasing values. */
    private Instant lastStamp = Instant.EPOCH;

    private Tenant(TenantFixture f, Instant loadTime, Function<Tenant, SignInLog> signInLog) {
        this.id = req(f.tenantId, "tenantId");
        this.displayName = f.displayName != null ? f.displayName : "Tenant " + id.substring(0, 8);
        this.domain = f.domain != null ? f.domain : "tenant" + id.substring(0, 8) + ".onmicrosoft.com";
        this.createdDateTime = f.createdDateTime != null ? f.createdDateTime : "2020-01-01T00:00:00Z";
        this.countryLetterCode = f.countryLetterCode != null ? f.countryLetterCode : "US";
        this.description = f.description;
        if (f.app == null || f.app.clientId == null || f.app.simulatorClientSecret == null) {
            throw new IllegalArgumentException("tenant " + id + ": app.clientId and app.simulatorClientSecret are required");
        }
        this.clientId = f.app.clientId;
        this.clientSecret = f.app.simulatorClientSecret;
        this.securityDefaultsEnabled = f.securityDefaultsEnabled;
        this.grantedPermissions = Set.copyOf(f.grantedPermissions != null ? f.grantedPermissions
                : TenantFixture.DEFAULT_GRANTED_PERMISSIONS);
        this.partner = f.partner == null ? null : PartnerData.fromFixture(id, f.partner, loadTime);
        this.defaultDomain = f.defaultDomain;
        if (f.consents != null) {
            f.consents.forEach((app, perms) -> consents.put(app.toLowerCase(Locale.ROOT),
                    Set.copyOf(perms == null ? List.of() : perms)));
        }

        Map<String, DirectoryObject> objects = new HashMap<>(Math.max(16, (f.users.size() + f.groups.size()) * 2));
        Map<String, User> upns = new HashMap<>(Math.max(16, f.users.size() * 2));
        List<User> us = new ArrayList<>(f.users.size());
        for (TenantFixture.UserFixture u : f.users) {
            User user = user(u);
            put(objects, user);
            if (upns.put(user.userPrincipalName().toLowerCase(Locale.ROOT), user) != null) {
                throw new IllegalArgumentException("tenant " + id + ": duplicate userPrincipalName " + user.userPrincipalName());
            }
            us.add(user);
        }
        List<Group> gs = new ArrayList<>(f.groups.size());
        for (TenantFixture.GroupFixture g : f.groups) {
            Group group = new Group(req(g.id, "group id"), g.displayName, g.description,
                    bool(g.securityEnabled, true), bool(g.mailEnabled, false),
                    g.mailNickname != null ? g.mailNickname : nickname(g.displayName),
                    bool(g.isAssignableToRole, false),
                    g.groupTypes == null ? List.of() : List.copyOf(g.groupTypes),
                    g.createdDateTime != null ? g.createdDateTime : createdDateTime,
                    new CopyOnWriteArrayList<>(g.members == null ? List.of() : g.members),
                    g.onPremisesSyncEnabled, g.membershipRule);
            put(objects, group);
            gs.add(group);
        }
        List<ServicePrincipal> sps = new ArrayList<>(f.servicePrincipals.size());
        for (TenantFixture.ServicePrincipalFixture s : f.servicePrincipals) {
            ServicePrincipal sp = new ServicePrincipal(req(s.id, "servicePrincipal id"), req(s.appId, "appId"),
                    s.displayName, s.servicePrincipalType != null ? s.servicePrincipalType : "Application",
                    bool(s.accountEnabled, true), s.appOwnerOrganizationId);
            put(objects, sp);
            sps.add(sp);
        }
        List<RoleAssignment> ras = new ArrayList<>(f.roleAssignments.size());
        for (TenantFixture.RoleAssignmentFixture r : f.roleAssignments) {
            String rd = req(r.roleDefinitionId, "roleDefinitionId");
            String pid = req(r.principalId, "principalId");
            String scope = r.directoryScopeId != null ? r.directoryScopeId : "/";
            ras.add(new RoleAssignment(r.id != null ? r.id : assignmentId(rd, pid, scope), rd, pid, scope));
        }
        this.users = Collections.unmodifiableList(us);
        this.groups = Collections.unmodifiableList(gs);
        this.servicePrincipals = Collections.unmodifiableList(sps);
        this.roleAssignments = Collections.unmodifiableList(ras);
        this.byId = objects;
        this.byUpn = upns;

        Set<String> admins = new HashSet<>();
        for (RoleAssignment ra : ras) {
            DirectoryObject p = objects.get(ra.principalId());
            if (p instanceof User) {
                admins.add(p.id());
            } else if (p instanceof Group) {
                for (DirectoryObject m : transitiveMembersOf(p.id())) {
                    if (m instanceof User) {
                        admins.add(m.id());
                    }
                }
            }
        }
        this.adminUserIds = admins;

        List<ObjectNode> nls = new ArrayList<>(f.namedLocations.size());
        for (ObjectNode n : f.namedLocations) {
            nls.add(GraphShapes.normalizeNamedLocation(n));
        }
        this.namedLocations = Collections.unmodifiableList(nls);

        List<ObjectNode> strengths = new ArrayList<>(f.authenticationStrengthPolicies.size());
        Map<String, ObjectNode> strengthIds = new HashMap<>();
        for (ObjectNode s : f.authenticationStrengthPolicies) {
            ObjectNode n;
            try {
                n = AuthenticationStrengths.normalizeCustom(s, createdDateTime);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tenant " + id + ": " + e.getMessage(), e);
            }
            if (strengthIds.put(n.get("id").asText().toLowerCase(Locale.ROOT), n) != null) {
                throw new IllegalArgumentException("tenant " + id + ": duplicate authentication strength id " + n.get("id").asText());
            }
            strengths.add(n);
        }
        this.customStrengths = Collections.unmodifiableList(strengths);
        this.strengthsById = strengthIds;
        this.strengthAsGiven = f.authenticationStrengthAsGiven;

        List<RoleEligibility> res = new ArrayList<>(f.roleEligibilities.size());
        for (TenantFixture.RoleEligibilityFixture r : f.roleEligibilities) {
            String rd = req(r.roleDefinitionId, "roleDefinitionId of a role eligibility");
            String pid = req(r.principalId, "principalId of a role eligibility");
            String scope = r.directoryScopeId != null ? r.directoryScopeId : "/";
            String eid = r.id != null ? r.id : assignmentId(rd, pid, scope) + "-e";
            res.add(new RoleEligibility(eid, pid, rd, scope, r.appScopeId,
                    r.startDateTime != null ? r.startDateTime : createdDateTime, r.endDateTime,
                    r.memberType != null ? r.memberType : "Direct",
                    r.roleEligibilityScheduleId != null ? r.roleEligibilityScheduleId
                            : UUID.nameUUIDFromBytes(("roleEligibilitySchedule/" + eid).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()));
        }
        this.roleEligibilities = Collections.unmodifiableList(res);
        List<GroupEligibility> ges = new ArrayList<>(f.groupEligibilities.size());
        for (TenantFixture.GroupEligibilityFixture g : f.groupEligibilities) {
            String gid = req(g.groupId, "groupId of a group eligibility");
            String pid = req(g.principalId, "principalId of a group eligibility");
            String access = g.accessId != null ? g.accessId : "member";
            if (!access.equals("member") && !access.equals("owner")) {
                throw new IllegalArgumentException("tenant " + id + ": group eligibility accessId must be member or owner, was " + access);
            }
            String eid = g.id != null ? g.id : gid + "_" + access + "_"
                    + UUID.nameUUIDFromBytes((gid + "/" + access + "/" + pid).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ges.add(new GroupEligibility(eid, gid, pid, access, g.memberType != null ? g.memberType : "Direct",
                    g.startDateTime != null ? g.startDateTime : createdDateTime, g.endDateTime,
                    g.eligibilityScheduleId != null ? g.eligibilityScheduleId : eid));
        }
        this.groupEligibilities = Collections.unmodifiableList(ges);
        this.pimLicensed = f.pimLicensed;
        this.premiumLicensed = f.premiumLicensed;

        List<PolicyEntry> ps = new ArrayList<>(f.conditionalAccessPolicies.size());
        Set<String> policyIds = new HashSet<>();
        for (ObjectNode p : f.conditionalAccessPolicies) {
            ObjectNode n;
            try {
                n = GraphShapes.normalizePolicy(p, strengthLookup());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tenant " + id + ": " + e.getMessage(), e);
            }
            if (!policyIds.add(n.get("id").asText())) {
                throw new IllegalArgumentException("tenant " + id + ": duplicate policy id " + n.get("id").asText());
            }
            ps.add(PolicyEntry.of(n.get("id").asText(), n));
        }
        this.policies = List.copyOf(ps);
        this.signIns = signInLog != null ? signInLog.apply(this) : fixtureSignIns(f, loadTime);
    }

    /**
     * Builds a tenant from a fixture; throws IllegalArgumentException when the fixture is invalid. Relative sign-in
     * times ("-3d") are resolved against the system clock.
     */
    public static Tenant fromFixture(TenantFixture f) {
        return new Tenant(f, Instant.now(), null);
    }

    /** Builds a tenant from a fixture, resolving relative sign-in times ("-3d", "-2h") against {@code loadTime}. */
    public static Tenant fromFixture(TenantFixture f, Instant loadTime) {
        return new Tenant(f, loadTime, null);
    }

    /** Builds a tenant whose sign-in log is computed by {@code signInLog} (generator). */
    public static Tenant fromFixture(TenantFixture f, Function<Tenant, SignInLog> signInLog) {
        return new Tenant(f, Instant.now(), signInLog);
    }

    private static final java.util.regex.Pattern RELATIVE = java.util.regex.Pattern.compile("([-+])((\\d+[dhms])+)");
    private static final java.util.regex.Pattern RELATIVE_PART = java.util.regex.Pattern.compile("(\\d+)([dhms])");

    /**
     * A fixture time: an ISO-8601 instant (or offset date-time), "now", or relative to {@code now} as a minus (past) or
     * plus (future) sign followed by amounts in d/h/m/s ("-3d", "-2h", "-1d6h30m", "+20d"). Returns the instant as Graph renders it (UTC, Z).
     */
    public static Instant fixtureTime(String text, Instant now) {
        String t = text.trim();
        if (t.equalsIgnoreCase("now")) {
            return now;
        }
        java.util.regex.Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            Duration d = Duration.ZERO;
            java.util.regex.Matcher p = RELATIVE_PART.matcher(m.group(2));
            while (p.find()) {
                long n = Long.parseLong(p.group(1));
                d = d.plus(switch (p.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
            return (m.group(1).equals("+") ? now.plus(d) : now.minus(d)).truncatedTo(ChronoUnit.SECONDS);
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + text + "' is neither an ISO-8601 instant nor relative like -3d, -2h, -90m");
        }
    }

    private User user(TenantFixture.UserFixture u) {
        String uid = req(u.id, "user id");
        String upn = req(u.userPrincipalName, "userPrincipalName of " + uid);
        TenantFixture.Registration r = u.registration;
        List<String> methods = r == null || r.methodsRegistered == null ? List.of() : List.copyOf(r.methodsRegistered);
        boolean mfaReg = r != null && r.isMfaRegistered != null ? r.isMfaRegistered : methods.stream().anyMatch(MFA_METHODS::contains);
        boolean mfaCap = r != null && r.isMfaCapable != null ? r.isMfaCapable : mfaReg && bool(u.accountEnabled, true);
        boolean pwless = r != null && r.isPasswordlessCapable != null ? r.isPasswordlessCapable : methods.stream().anyMatch(PASSWORDLESS_METHODS::contains);
        boolean sspr = r != null && r.isSsprRegistered != null ? r.isSsprRegistered : methods.stream().anyMatch(SSPR_METHODS::contains);
        String preferred = r != null && r.userPreferredMethodForSecondaryAuthentication != null
                ? r.userPreferredMethodForSecondaryAuthentication
                : methods.contains("microsoftAuthenticatorPush") ? "push"
                : methods.contains("softwareOneTimePasscode") ? "oath"
                : methods.contains("mobilePhone") ? "sms" : "";
        String updated = r != null && r.lastUpdatedDateTime != null ? r.lastUpdatedDateTime : "2025-12-01T08:00:00Z";
        String display = u.displayName != null ? u.displayName
                : u.givenName != null ? (u.surname != null ? u.givenName + " " + u.surname : u.givenName) : upn;
        String userType = u.userType != null ? u.userType : "Member";
        return new User(uid, upn, display, u.givenName, u.surname, u.mail, u.jobTitle, userType,
                bool(u.accountEnabled, true),
                u.creationType != null ? u.creationType : "Guest".equalsIgnoreCase(userType) ? "Invitation" : null,
                u.externalUserState != null ? u.externalUserState : "Guest".equalsIgnoreCase(userType) ? "Accepted" : null,
                u.createdDateTime != null ? u.createdDateTime : createdDateTime,
                u.onPremisesSyncEnabled, methods, mfaReg, mfaCap, pwless, sspr, preferred, updated,
                u.authenticationMethods == null ? null : List.copyOf(u.authenticationMethods), perUserMfaState(uid, u.perUserMfaState));
    }

    /** The per-user MFA states Graph knows (beta strongAuthenticationRequirements.perUserMfaState). */
    public static final Set<String> PER_USER_MFA_STATES = Set.of("disabled", "enabled", "enforced");

    private String perUserMfaState(String uid, String state) {
        if (state == null) {
            return "disabled";
        }
        if (!PER_USER_MFA_STATES.contains(state)) {
            throw new IllegalArgumentException("tenant " + id + ": user " + uid + " perUserMfaState must be disabled, enabled or enforced, was " + state);
        }
        return state;
    }

    private SignInLog fixtureSignIns(TenantFixture f, Instant loadTime) {
        List<SignIn> list = new ArrayList<>();
        for (TenantFixture.SignInFixture s : f.signIns) {
            DirectoryObject o = s.userId == null ? null : byId.get(s.userId);
            User u = o instanceof User user ? user : null;
            ServicePrincipal sp = null;
            if (s.servicePrincipalId != null) {
                if (s.userId != null) {
                    throw new IllegalArgumentException("tenant " + id + ": a sign-in has either userId or servicePrincipalId");
                }
                sp = byId.get(s.servicePrincipalId) instanceof ServicePrincipal p ? p : null;
            }
            Instant at;
            try {
                at = fixtureTime(req(s.createdDateTime, "signIn createdDateTime"), loadTime);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tenant " + id + ": signIn createdDateTime: " + e.getMessage(), e);
            }
            boolean servicePrincipal = s.servicePrincipalId != null;
            list.add(new SignIn(s.id != null ? s.id : UUID.nameUUIDFromBytes((id + list.size()).getBytes()).toString(),
                    at.toString(), servicePrincipal ? "" : s.userId,
                    u != null ? u.userPrincipalName() : null, u != null ? u.displayName() : null,
                    servicePrincipal ? null : u != null ? u.userType().toLowerCase(Locale.ROOT) : "member",
                    s.appId != null ? s.appId : sp != null ? sp.appId() : "00000003-0000-0ff1-ce00-000000000000",
                    s.appDisplayName != null ? s.appDisplayName : sp != null ? sp.displayName() : "Office 365 SharePoint Online",
                    s.ipAddress != null ? s.ipAddress : "203.0.113.10",
                    s.clientAppUsed != null ? s.clientAppUsed : servicePrincipal ? "" : "Browser",
                    !servicePrincipal && (s.isInteractive == null || s.isInteractive),
                    s.conditionalAccessStatus != null ? s.conditionalAccessStatus : "notApplied",
                    s.authenticationRequirement != null ? s.authenticationRequirement : "singleFactorAuthentication",
                    s.errorCode != null ? s.errorCode : 0,
                    s.countryOrRegion != null ? s.countryOrRegion : countryLetterCode,
                    s.appliedConditionalAccessPolicies == null ? List.of() : List.copyOf(s.appliedConditionalAccessPolicies),
                    s.servicePrincipalId,
                    servicePrincipal ? (s.servicePrincipalName != null ? s.servicePrincipalName
                            : sp != null ? sp.displayName() : null) : null));
        }
        list.sort(Comparator.comparing((SignIn x) -> Instant.parse(x.createdDateTime())).reversed());
        return SignInLog.of(list);
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    /** Users, groups and service principals reachable from the group, nested groups included; cycle-safe; BFS order. */
    public List<DirectoryObject> transitiveMembersOf(String groupId) {
        DirectoryObject root = byId.get(groupId);
        if (!(root instanceof Group)) {
            return List.of();
        }
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        Set<String> expanded = new HashSet<>();
        expanded.add(groupId);
        Deque<Group> queue = new ArrayDeque<>();
        queue.add((Group) root);
        List<DirectoryObject> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            Group g = queue.poll();
            for (String m : g.members()) {
                DirectoryObject o = byId.get(m);
                if (o == null || m.equals(groupId) || !seen.add(m)) {
                    continue;
                }
                out.add(o);
                if (o instanceof Group ng && expanded.add(ng.id())) {
                    queue.add(ng);
                }
            }
        }
        return out;
    }

    public DirectoryObject object(String objectId) {
        return byId.get(objectId);
    }

    /** A user by object id or user principal name. */
    public User user(String idOrUpn) {
        DirectoryObject o = byId.get(idOrUpn);
        if (o instanceof User u) {
            return u;
        }
        return idOrUpn == null ? null : byUpn.get(idOrUpn.toLowerCase(Locale.ROOT));
    }

    public Group group(String groupId) {
        return byId.get(groupId) instanceof Group g ? g : null;
    }

    public boolean isAdmin(String userId) {
        return adminUserIds.contains(userId);
    }

    /** The policy list as held (normalised JSON). */
    public List<PolicyEntry> policyEntries() {
        return policies;
    }

    /** The current state of all CA policies (copies; PATCHes applied). */
    public List<ObjectNode> policies() {
        List<ObjectNode> out = new ArrayList<>();
        for (PolicyEntry e : policies) {
            out.add(Json.parseObject(e.json()));
        }
        return out;
    }

    /** The current state of one CA policy (a copy), or null. */
    public ObjectNode policy(String policyId) {
        for (PolicyEntry e : policies) {
            if (e.id().equals(policyId)) {
                return Json.parseObject(e.json());
            }
        }
        return null;
    }

    /** Properties of a conditionalAccessPolicy that Graph computes; a PATCH naming one is refused (400). */
    public static final Set<String> READ_ONLY_POLICY_PROPERTIES = Set.of("id", "createdDateTime", "modifiedDateTime",
            "templateId", "deletedDateTime");
    private static final Set<String> USER_LIST_LITERALS_INCLUDE = Set.of("All", "None", "GuestsOrExternalUsers");
    private static final Set<String> USER_LIST_LITERALS_EXCLUDE = Set.of("GuestsOrExternalUsers");
    private static final java.util.regex.Pattern GUID =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Applies a Graph PATCH as the simulator itself (actor "simulator"); see {@link #patchPolicy(String, JsonNode, Instant, String)}. */
    public boolean patchPolicy(String policyId, JsonNode patch, Instant now) {
        return patchPolicy(policyId, patch, now, "simulator");
    }

    /**
     * Applies a Graph PATCH to a policy as Graph does: objects merged deeply, arrays replaced whole, then re-normalised;
     * {@code modifiedDateTime} set to {@code now} (strictly after the previous write's). Refused (IllegalArgumentException,
     * Graph answers 400): read-only properties ({@link #READ_ONLY_POLICY_PROPERTIES}, {@code @odata.*} other than
     * {@code @odata.type}), unknown properties at any depth, {@code conditions.users} list entries that are neither
     * GUIDs nor Graph's literals, and a users object left without any include. Recorded in the change log; then an edit
     * queued with {@link #editPolicyAfterNextWrite} for this policy is applied as another administrator.
     *
     * @param actor who writes (the token's app id, or {@link Change#CONCURRENT_ADMIN})
     * @return false if no such policy
     */
    public boolean patchPolicy(String policyId, JsonNode patch, Instant now, String actor) {
        boolean found = applyPatch(policyId, patch, now, actor);
        if (found && !Change.CONCURRENT_ADMIN.equals(actor)) {
            ObjectNode racing = editsAfterNextWrite.remove(policyId);
            if (racing != null) {
                applyPatch(policyId, racing, now, Change.CONCURRENT_ADMIN);
            }
        }
        return found;
    }

    /** Queues a patch another administrator applies right after the next successful PATCH of the policy (validated now). */
    public void editPolicyAfterNextWrite(String policyId, ObjectNode patch) {
        ObjectNode current = policy(policyId);
        if (current == null) {
            throw new IllegalArgumentException("tenant " + id + ": no policy " + policyId);
        }
        validatePolicyPatch(current, patch);
        editsAfterNextWrite.put(policyId, patch.deepCopy());
    }

    private boolean applyPatch(String policyId, JsonNode patch, Instant now, String actor) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object.");
        }
        synchronized (policyLock) {
            List<PolicyEntry> cur = policies;
            for (int i = 0; i < cur.size(); i++) {
                if (cur.get(i).id().equals(policyId)) {
                    ObjectNode before = Json.parseObject(cur.get(i).json());
                    validatePolicyPatch(before, patch);
                    ObjectNode p = before.deepCopy();
                    ObjectNode copy = patch.deepCopy();
                    copy.remove("@odata.type");
                    GraphShapes.merge(p, copy);
                    if (patch.path("conditions").path("users").isObject()) {
                        requireAnInclude(p.path("conditions").path("users"));
                    }
                    p.put("modifiedDateTime", stamp(now, before.path("modifiedDateTime").asText(null)).toString());
                    ObjectNode n = GraphShapes.normalizePolicy(p, strengthLookup());
                    List<PolicyEntry> next = new ArrayList<>(cur);
                    next.set(i, PolicyEntry.of(policyId, n));
                    policies = List.copyOf(next);
                    changes.add(new Change(now, id, Change.POLICY_UPDATE, policyId, null, before, n.deepCopy(), actor));
                    return true;
                }
            }
            return false;
        }
    }

    /** The next modifiedDateTime: now, but strictly after every earlier stamp and the policy's current value. */
    private Instant stamp(Instant now, String current) {
        Instant floor = lastStamp;
        if (current != null) {
            try {
                Instant c = OffsetDateTime.parse(current).toInstant();
                if (c.isAfter(floor)) {
                    floor = c;
                }
            } catch (DateTimeParseException e) {
                // a fixture's odd value: the earlier stamps still order the writes
            }
        }
        Instant s = now.isAfter(floor) ? now : floor.plusNanos(1000);
        lastStamp = s;
        return s;
    }

    private static void validatePolicyPatch(ObjectNode current, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object.");
        }
        patch.fieldNames().forEachRemaining(k -> {
            if (READ_ONLY_POLICY_PROPERTIES.contains(k) || (k.startsWith("@") && !k.equals("@odata.type"))) {
                throw new IllegalArgumentException("Property '" + k + "' is read-only and cannot be updated.");
            }
            if (!k.startsWith("@") && !GraphShapes.POLICY_PROPERTIES.contains(k)) {
                throw new IllegalArgumentException("Invalid property '" + k + "'.");
            }
            knownProperties(current.get(k), patch.get(k), k);
        });
        JsonNode users = patch.path("conditions").path("users");
        if (patch.path("conditions").has("users") && !users.isObject()) {
            throw new IllegalArgumentException("Invalid value for property 'conditions.users'.");
        }
        if (users.isObject()) {
            userList(users, "includeUsers", USER_LIST_LITERALS_INCLUDE);
            userList(users, "excludeUsers", USER_LIST_LITERALS_EXCLUDE);
            for (String list : List.of("includeGroups", "excludeGroups", "includeRoles", "excludeRoles")) {
                userList(users, list, Set.of());
            }
        }
    }

    /** Every property of an object in the patch must exist where the current policy has an object (Graph: 400). */
    private static void knownProperties(JsonNode current, JsonNode patch, String path) {
        if (current == null || !current.isObject() || patch == null || !patch.isObject()) {
            return;
        }
        patch.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("@")) {
                if (!k.equals("@odata.type")) {
                    throw new IllegalArgumentException("Property '" + path + "." + k + "' is read-only and cannot be updated.");
                }
                return;
            }
            if (!current.has(k)) {
                throw new IllegalArgumentException("Invalid property '" + path + "." + k + "'.");
            }
            knownProperties(current.get(k), patch.get(k), path + "." + k);
        });
    }

    private static void userList(JsonNode users, String name, Set<String> literals) {
        JsonNode list = users.get(name);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("Invalid value for property 'conditions.users." + name + "': an array is expected.");
        }
        for (JsonNode e : list) {
            String v = e.isTextual() ? e.asText() : null;
            if (v == null || !(GUID.matcher(v).matches() || literals.contains(v))) {
                throw new IllegalArgumentException("Invalid value '" + (v == null ? e.toString() : v)
                        + "' in conditions.users." + name + ": each entry must be an object id (GUID)"
                        + (literals.isEmpty() ? "" : " or one of " + String.join(", ", new java.util.TreeSet<>(literals))) + ".");
            }
        }
    }

    private static void requireAnInclude(JsonNode users) {
        boolean any = users.path("includeUsers").size() > 0 || users.path("includeGroups").size() > 0
                || users.path("includeRoles").size() > 0
                || (users.hasNonNull("includeGuestsOrExternalUsers") && users.get("includeGuestsOrExternalUsers").isObject());
        if (!any) {
            throw new IllegalArgumentException("The policy must include users: at least one of conditions.users.includeUsers, "
                    + "includeGroups, includeRoles or includeGuestsOrExternalUsers must be set.");
        }
    }

    // ---- permissions, memberships and the change log ---------------------------------------------------------

    /** Application permissions granted to the simulated app (what a new token's roles claim lists). */
    public Set<String> grantedPermissions() {
        return grantedPermissions;
    }

    public void setGrantedPermissions(Set<String> permissions) {
        this.grantedPermissions = Set.copyOf(permissions);
    }

    /**
     * Admin consent for {@code clientId} here: its service principal is created (or kept) with exactly these
     * application permissions. For this tenant's own app it is {@link #setGrantedPermissions}.
     */
    public void consent(String clientId, Set<String> permissions) {
        String k = clientId.toLowerCase(Locale.ROOT);
        revoked.remove(k);
        if (clientId.equalsIgnoreCase(this.clientId)) {
            setGrantedPermissions(permissions);
        } else {
            consents.put(k, Set.copyOf(permissions));
        }
    }

    /** Removes the app's service principal from this tenant (its token requests then fail with AADSTS700016). */
    public void revokeConsent(String clientId) {
        String k = clientId.toLowerCase(Locale.ROOT);
        consents.remove(k);
        revoked.add(k);
    }

    /** The explicit consent for {@code clientId} (null when none: the app may still be present implicitly). */
    public Set<String> consentOf(String clientId) {
        return consents.get(clientId.toLowerCase(Locale.ROOT));
    }

    /** Whether the app's implicit presence (own app, MSP app, home tenant) was revoked. */
    public boolean consentRevoked(String clientId) {
        return revoked.contains(clientId.toLowerCase(Locale.ROOT));
    }

    /** Explicit consents: lower-case client id → permissions (a copy). */
    public Map<String, Set<String>> consents() {
        return Map.copyOf(consents);
    }

    /** Every successful write, oldest first (a copy). */
    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /** Whether {@code memberId} is a direct member of the group. */
    public boolean isDirectMember(String groupId, String memberId) {
        Group g = group(groupId);
        return g != null && g.members().contains(memberId);
    }

    /** Removes a direct member; false when it was not one. Logged as {@link Change#MEMBER_REMOVED}. */
    public boolean removeMember(String groupId, String memberId, Instant now, String actor) {
        Group g = requireGroup(groupId);
        synchronized (g) {
            ObjectNode before = membersJson(g);
            if (!g.members().remove(memberId)) {
                return false;
            }
            changes.add(new Change(now, id, Change.MEMBER_REMOVED, g.id(), memberId, before, membersJson(g), actor));
            return true;
        }
    }

    /** Adds a direct member; false when it already was one. Logged as {@link Change#MEMBER_ADDED}. */
    public boolean addMember(String groupId, String memberId, Instant now, String actor) {
        Group g = requireGroup(groupId);
        synchronized (g) {
            if (g.members().contains(memberId)) {
                return false;
            }
            ObjectNode before = membersJson(g);
            g.members().add(memberId);
            changes.add(new Change(now, id, Change.MEMBER_ADDED, g.id(), memberId, before, membersJson(g), actor));
            return true;
        }
    }

    private Group requireGroup(String groupId) {
        Group g = group(groupId);
        if (g == null) {
            throw new IllegalArgumentException("tenant " + id + ": no group " + groupId);
        }
        return g;
    }

    private static ObjectNode membersJson(Group g) {
        ObjectNode o = Json.obj();
        o.set("members", Json.arr(List.copyOf(g.members())));
        return o;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The partner view (contracts, GDAP customers and relationships), or null when this is not a partner tenant. */
    public PartnerData partner() {
        return partner;
    }

    /** The default verified domain: the custom {@code defaultDomain} when set, else the initial domain. */
    public String defaultDomain() {
        return defaultDomain != null ? defaultDomain : domain;
    }

    /** The custom default domain, or null. */
    public String customDefaultDomain() {
        return defaultDomain;
    }

    /** The organization's display name changes (as when the customer renames its tenant). */
    public void rename(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a tenant's display name cannot be empty");
        }
        this.displayName = name;
    }

    public String domain() {
        return domain;
    }

    public String createdDateTime() {
        return createdDateTime;
    }

    public String countryLetterCode() {
        return countryLetterCode;
    }

    /** Free-text description from the fixture (demo tenants tell their story here), or null. */
    public String description() {
        return description;
    }

    /** The simulated app's client id (application id) in this tenant. */
    public String clientId() {
        return clientId;
    }

    /** SIMULATOR-ONLY client secret of the simulated app. */
    public String simulatorClientSecret() {
        return clientSecret;
    }

    public List<User> users() {
        return users;
    }

    public List<Group> groups() {
        return groups;
    }

    public List<ServicePrincipal> servicePrincipals() {
        return servicePrincipals;
    }

    public List<RoleAssignment> roleAssignments() {
        return roleAssignments;
    }

    public List<ObjectNode> namedLocations() {
        return namedLocations;
    }

    public SignInLog signIns() {
        return signIns;
    }

    /** The strengths a policy's {@code authenticationStrength} id is completed from; null when they are served as given. */
    private Function<String, ObjectNode> strengthLookup() {
        return strengthAsGiven ? null : this::authenticationStrength;
    }

    /** Built-in strengths, then the fixture's custom ones (Graph's full shape, without OData annotations; copies). */
    public List<ObjectNode> authenticationStrengths() {
        List<ObjectNode> out = new ArrayList<>(AuthenticationStrengths.BUILT_IN_IDS.size() + customStrengths.size());
        for (String s : AuthenticationStrengths.BUILT_IN_IDS) {
            out.add(AuthenticationStrengths.builtIn(s));
        }
        customStrengths.forEach(c -> out.add(c.deepCopy()));
        return out;
    }

    /** A strength by id (built-in or custom; a copy), or null. */
    public ObjectNode authenticationStrength(String strengthId) {
        if (strengthId == null) {
            return null;
        }
        ObjectNode b = AuthenticationStrengths.builtIn(strengthId);
        if (b != null) {
            return b;
        }
        ObjectNode c = strengthsById.get(strengthId.toLowerCase(Locale.ROOT));
        return c == null ? null : c.deepCopy();
    }

    /** Whether CA policies' strengths are served exactly as the fixture gives them (fixture field authenticationStrengthAsGiven). */
    public boolean authenticationStrengthAsGiven() {
        return strengthAsGiven;
    }

    public List<RoleEligibility> roleEligibilities() {
        return roleEligibilities;
    }

    public List<GroupEligibility> groupEligibilities() {
        return groupEligibilities;
    }

    /** Microsoft Entra ID P2 / Governance present (PIM endpoints answer); false: they answer AadPremiumLicenseRequired. */
    public boolean pimLicensed() {
        return pimLicensed;
    }

    /** Microsoft Entra ID P1/P2 present (registration report and sign-in logs answer); false: 403 NonPremium. */
    public boolean premiumLicensed() {
        return premiumLicensed;
    }

    public boolean securityDefaultsEnabled() {
        return securityDefaultsEnabled;
    }

    public void setSecurityDefaultsEnabled(boolean on) {
        this.securityDefaultsEnabled = on;
    }

    /** Graph's S/M/L tenant size (for the directory RU quota): the user count. */
    public int userCount() {
        return users.size();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void put(Map<String, DirectoryObject> objects, DirectoryObject o) {
        if (objects.put(o.id(), o) != null) {
            throw new IllegalArgumentException("tenant " + id + ": duplicate object id " + o.id());
        }
    }

    /** Graph-looking assignment id (url-safe base64 of role + principal, "-1" suffix as in Microsoft's example). */
    static String assignmentId(String roleDefinitionId, String principalId, String scope) {
        UUID r = UUID.fromString(roleDefinitionId);
        UUID p;
        try {
            p = UUID.fromString(principalId);
        } catch (IllegalArgumentException e) {
            p = UUID.nameUUIDFromBytes(principalId.getBytes());
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
        b.putLong(r.getMostSignificantBits()).putLong(r.getLeastSignificantBits())
                .putLong(p.getMostSignificantBits()).putLong(p.getLeastSignificantBits());
        String s = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        return s + ("/".equals(scope) ? "-1" : "-" + Integer.toHexString(scope.hashCode() & 0xfffff));
    }

    private static String nickname(String displayName) {
        if (displayName == null) {
            return null;
        }
        String n = displayName.replaceAll("[^A-Za-z0-9]", "");
        return n.isEmpty() ? "group" : n;
    }

    private static boolean bool(Boolean b, boolean dflt) {
        return b == null ? dflt : b;
    }

    private static String req(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return v;
    }
}
