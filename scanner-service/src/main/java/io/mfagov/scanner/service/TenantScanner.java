package io.mfagov.scanner.service;

import io.mfagov.support.ids.Ids;
import com.microsoft.graph.directoryobjects.getbyids.GetByIdsPostRequestBody;
import com.microsoft.graph.directoryobjects.getbyids.GetByIdsPostResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.AuthenticationStrengthPolicy;
import com.microsoft.graph.models.AuthenticationStrengthPolicyCollectionResponse;
import com.microsoft.graph.models.AuthenticationStrengthRequirements;
import com.microsoft.graph.models.CountryNamedLocation;
import com.microsoft.graph.models.IdentitySecurityDefaultsEnforcementPolicy;
import com.microsoft.graph.models.PrivilegedAccessGroupEligibilityScheduleInstance;
import com.microsoft.graph.models.PrivilegedAccessGroupEligibilityScheduleInstanceCollectionResponse;
import com.microsoft.graph.models.PrivilegedAccessGroupRelationships;
import com.microsoft.graph.models.UnifiedRoleEligibilityScheduleInstance;
import com.microsoft.graph.models.UnifiedRoleEligibilityScheduleInstanceCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.DirectoryObjectCollectionResponse;
import com.microsoft.graph.models.IpNamedLocation;
import com.microsoft.graph.models.NamedLocation;
import com.microsoft.graph.models.NamedLocationCollectionResponse;
import com.microsoft.graph.models.ServicePrincipal;
import com.microsoft.graph.models.ServicePrincipalCollectionResponse;
import com.microsoft.graph.models.UnifiedRoleAssignment;
import com.microsoft.graph.models.UnifiedRoleAssignmentCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.AccessCheck;
import io.mfagov.scanner.graph.AccessChecker;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.graph.PermissionTable;
import io.mfagov.scanner.graph.GraphReads;
import io.mfagov.scanner.graph.GraphReads.Result;
import io.mfagov.scanner.graph.GraphReads.Step;
import io.mfagov.scanner.graph.GraphSession;
import io.mfagov.scanner.graph.ReadFailure;
import io.mfagov.scanner.graph.Redactor;
import io.mfagov.scanner.service.ExclusionResolver.Directory;
import io.mfagov.scanner.service.ExclusionResolver.MfaPolicy;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.scanner.policy.CaPolicy;
import io.mfagov.scanner.policy.PolicyRules;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One tenant's scan, in few Graph calls:
 * <ol>
 *   <li>the CA policies as raw JSON with {@code Prefer: include-unknown-enum-members} (paced: 1 request/s per tenant,
 *       429 without Retry-After; backed off with jitter up to the CA retry budget);</li>
 *   <li>one {@code $batch} (≤20 reads a batch) with: security defaults; the authentication strengths (only when a
 *       policy's strength does not carry its requirement); every active role assignment with its principal (one
 *       read, tenant-wide scope counts); every PIM role eligibility; the enabled users (for coverage);
 *       {@code directoryObjects/getByIds} for every excluded and included user and group id; transitive members of
 *       each excluded and included group; PIM-for-Groups eligibility of each excluded group (the API needs a filter
 *       per group); service principals of excluded apps by app id (15 a query);</li>
 *   <li>then, batched again: members of nested groups, of role-assignable groups holding a named or admin role, and
 *       of eligible groups; getByIds for principals PIM named only by id;</li>
 *   <li>named locations, once, only when a policy names one or all trusted ones (paced like the policies, never in
 *       the same second).</li>
 * </ol>
 * Next pages are followed individually. Nothing is read twice in a scan. Runs on the calling thread.
 */
public final class TenantScanner {

    static final String PREFER_UNKNOWN_ENUMS = "include-unknown-enum-members";
    private static final String[] USER_LIST_SELECT = {"id", "displayName", "userPrincipalName", "userType", "accountEnabled"};
    static final String USER_SELECT = "id,displayName,userPrincipalName,userType,accountEnabled,appId";
    private static final String[] MEMBER_SELECT = USER_SELECT.split(",");
    private static final String[] POLICY_SELECT = {"id", "displayName", "state", "conditions", "grantControls"};
    /** userRegistrationDetails: the properties the gap signals use. */
    private static final String[] REGISTRATION_SELECT = {"id", "isMfaRegistered", "isMfaCapable", "methodsRegistered",
            "userPreferredMethodForSecondaryAuthentication", "userType"};
    /** Largest page of userRegistrationDetails (Graph does not document one; directory lists allow 999). */
    static final int REGISTRATION_PAGE = 999;
    static final String REGISTRATION = "registration";
    private static final int IDS_PER_CALL = 1000;
    private static final int APP_IDS_PER_QUERY = 15;

    private final GraphClientFactory factory;
    private final ScannerSettings settings;
    private final Redactor redactor;
    private final Clock clock;
    private final AccessChecker checker;

    public TenantScanner(GraphClientFactory factory, Clock clock) {
        this.factory = factory;
        this.settings = factory.settings();
        this.redactor = factory.redactor();
        this.clock = clock;
        this.checker = new AccessChecker(factory);
    }

    public Redactor redactor() {
        return redactor;
    }

    /** Scans one tenant. Never throws: any failure is the tenant's FAILED or PARTIAL. */
    public TenantScan scan(String tenantId) {
        return scan(tenantId, null);
    }

    /** Scans one tenant reading {@code signInDays} days of sign-ins (null: the configured days). Never throws. */
    public TenantScan scan(String tenantId, Integer signInDays) {
        return scan(tenantId, signInDays, null);
    }

    /**
     * Scans one tenant with the credential set {@code credentialRef} names (null: the default). First the access
     * check (the token request and its roles, no Graph read): no token, or a required permission missing → FAILED
     * with the reason and what to do, without a Graph request; optional permissions missing → those reads are not
     * attempted. Never throws.
     */
    public TenantScan scan(String tenantId, Integer signInDays, String credentialRef) {
        ScannerSettings settings = signInDays == null ? this.settings : this.settings.withSignInDays(signInDays);
        Instant started = clock.instant();
        AccessCheck access = checker.check(tenantId, credentialRef);
        if (access.scanBlocked()) {
            return failed(tenantId, started, 0, access.detail(), List.of("access")).withAccess(access);
        }
        GraphSession session = null;
        try {
            session = factory.open(tenantId, credentialRef);
            return new Run(new GraphReads(session, settings, redactor), settings, tenantId, started, access).execute()
                    .withAccess(access);
        } catch (GraphClientFactory.MissingCredentialsException e) {
            return failed(tenantId, started, 0, redactor.clean(e.getMessage()), List.of("credentials")).withAccess(access);
        } catch (RuntimeException e) {
            return failed(tenantId, started, session == null ? 0 : session.requestCount(),
                    "scan aborted: " + redactor.clean(e.getClass().getSimpleName() + " " + e.getMessage()), List.of())
                    .withAccess(access);
        }
    }

    private TenantScan failed(String tenantId, Instant started, int requests, String error, List<String> failedReads) {
        return new TenantScan(tenantId, ScanStatus.FAILED, List.of(), requests, error, failedReads, null, started,
                clock.instant());
    }

    /** The state of one scan. */
    private final class Run {
        private final GraphReads reads;
        private final GraphServiceClient client;
        private final String tenantId;
        private final Instant started;
        private final Directory dir = new Directory();
        private final List<String> failedReads = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private final Set<String> groupsRequested = new LinkedHashSet<>();
        /** Groups whose transitiveMembers answered 404, decided once every read of the scan is in. */
        private final Map<String, ReadFailure> membersNotFound = new LinkedHashMap<>();
        private boolean idsFailed;
        private int getByIdsCalls;
        /** Ids already asked of getByIds (lower case). */
        private final Set<String> looked = new java.util.HashSet<>();
        /** The tenant's authentication strengths by id (lower case), when they had to be read. */
        private final Map<String, CaPolicy.Strength> strengths = new java.util.HashMap<>();
        private final List<String> notes = new ArrayList<>();
        private int withoutId;
        /** Registration details by user id (lower case); null until read, stays null when refused. */
        private Map<String, com.microsoft.graph.models.UserRegistrationDetails> registration;
        private final List<io.mfagov.model.events.MissingSignal> missingSignals = new ArrayList<>();

        private final ScannerSettings settings;
        private final AccessCheck access;

        Run(GraphReads reads, ScannerSettings settings, String tenantId, Instant started, AccessCheck access) {
            this.access = access;
            this.reads = reads;
            this.settings = settings;
            this.client = reads.session().client();
            this.tenantId = tenantId;
            this.started = started;
        }

        /** What a skipped read says: which permission the tenant's token lacks for it. */
        private String skipped(String what, String readKey) {
            String permission = PermissionTable.READS.stream().filter(e -> e.key().equals(readKey)).findFirst()
                    .map(PermissionTable.Entry::toGrant).orElse("?");
            return what + " not read: the app lacks " + permission + " in this tenant (access check; grant it with "
                    + "admin consent to read it)";
        }

        TenantScan execute() {
            List<CaPolicy> policies;
            try {
                policies = readPolicies();
            } catch (ReadFailure f) {
                return failed(tenantId, started, reads.session().requestCount(),
                        (f.kind() == ReadFailure.Kind.ACCESS_DENIED ? "tenant cannot be read (consent revoked or unknown tenant): "
                                : "CA policies could not be read: ") + f.getMessage(), List.of(f.read()));
            }
            List<CaPolicy> relevant = policies.stream().filter(ExclusionResolver::relevant).toList();

            List<Step<?>> first = new ArrayList<>();
            first.add(new Step<>("securityDefaults", () -> client.policies().identitySecurityDefaultsEnforcementPolicy()
                    .toGetRequestInformation(rc -> rc.queryParameters.select = new String[] {"id", "isEnabled"}),
                    IdentitySecurityDefaultsEnforcementPolicy::createFromDiscriminatorValue));
            if (ExclusionResolver.needsStrengths(relevant)) {
                first.add(new Step<>("authenticationStrengthPolicies", () -> client.policies()
                        .authenticationStrengthPolicies().toGetRequestInformation(rc -> rc.queryParameters.select =
                                new String[] {"id", "displayName", "requirementsSatisfied"}),
                        AuthenticationStrengthPolicyCollectionResponse::createFromDiscriminatorValue));
            }
            first.add(new Step<>("roleAssignments", () -> client.roleManagement().directory().roleAssignments()
                    .toGetRequestInformation(rc -> rc.queryParameters.expand = new String[] {"principal"}),
                    UnifiedRoleAssignmentCollectionResponse::createFromDiscriminatorValue));
            if (access.disabled(PermissionTable.PIM_ROLES)) {
                notes.add(skipped("PIM role eligibility", PermissionTable.PIM_ROLES));
            } else {
                first.add(new Step<>("roleEligibilityScheduleInstances", () -> client.roleManagement().directory()
                        .roleEligibilityScheduleInstances().toGetRequestInformation(rc -> rc.queryParameters.select =
                                new String[] {"id", "principalId", "roleDefinitionId", "directoryScopeId"}),
                        UnifiedRoleEligibilityScheduleInstanceCollectionResponse::createFromDiscriminatorValue));
            }
            first.add(new Step<>("users", () -> client.users().toGetRequestInformation(rc -> {
                rc.queryParameters.filter = "accountEnabled eq true";
                rc.queryParameters.select = USER_LIST_SELECT;
                rc.queryParameters.top = settings.pageSize();
            }), UserCollectionResponse::createFromDiscriminatorValue));
            boolean readRegistration = !access.disabled(PermissionTable.REGISTRATION);
            if (readRegistration) {
                first.add(new Step<>("userRegistrationDetails", () -> client.reports().authenticationMethods()
                        .userRegistrationDetails().toGetRequestInformation(rc -> {
                            rc.queryParameters.select = REGISTRATION_SELECT;
                            rc.queryParameters.top = REGISTRATION_PAGE;
                        }), com.microsoft.graph.models.UserRegistrationDetailsCollectionResponse::createFromDiscriminatorValue));
            } else {
                missingSignals.add(new io.mfagov.model.events.MissingSignal(REGISTRATION,
                        skipped("the registration report", PermissionTable.REGISTRATION)));
            }
            List<String> ids = new ArrayList<>(ExclusionResolver.idsToLookUp(relevant).stream().filter(Ids::isGuid).toList());
            ids.forEach(id -> looked.add(id.toLowerCase(Locale.ROOT)));
            addGetByIds(first, ids);
            for (String g : ExclusionResolver.groups(relevant)) {
                first.add(membersStep(g));
            }
            boolean pimGroups = !access.disabled(PermissionTable.PIM_GROUPS);
            if (!pimGroups && !ExclusionResolver.excludedGroups(relevant).isEmpty()) {
                notes.add(skipped("PIM group eligibility", PermissionTable.PIM_GROUPS));
            }
            for (String g : ExclusionResolver.excludedGroups(relevant)) {
                if (pimGroups && Ids.isGuid(g)) {
                    first.add(new Step<>("groupEligibility:" + g, () -> client.identityGovernance().privilegedAccess()
                            .group().eligibilityScheduleInstances().toGetRequestInformation(rc -> {
                                rc.queryParameters.filter = "groupId eq '" + g + "'";
                                rc.queryParameters.select = new String[] {"id", "groupId", "principalId", "accessId"};
                            }), PrivilegedAccessGroupEligibilityScheduleInstanceCollectionResponse::createFromDiscriminatorValue));
                }
            }
            List<String> appIds = ExclusionResolver.appIds(relevant).stream().filter(Ids::isGuid).toList();
            dir.applicationsRead = true;
            for (int i = 0; i < appIds.size(); i += APP_IDS_PER_QUERY) {
                List<String> chunk = appIds.subList(i, Math.min(appIds.size(), i + APP_IDS_PER_QUERY));
                first.add(new Step<>("servicePrincipals#" + (i / APP_IDS_PER_QUERY + 1), () -> client.servicePrincipals()
                        .toGetRequestInformation(rc -> {
                            rc.queryParameters.filter = "appId in (" + String.join(",",
                                    chunk.stream().map(a -> "'" + a + "'").toList()) + ")";
                            rc.queryParameters.select = new String[] {"id", "appId", "displayName", "accountEnabled"};
                        }), ServicePrincipalCollectionResponse::createFromDiscriminatorValue));
            }
            if (readRegistration) {
                reads.paceReports(1); // the registration report, in the first batch
            }
            List<Step<?>> round = first;
            while (!round.isEmpty()) {
                Map<String, Result<?>> results = reads.batch(round);
                results.forEach(this::absorb);
                round = nextRound(relevant);
            }
            settleMissingGroups();
            if (ExclusionResolver.needsLocations(relevant)) {
                readLocations();
            }
            List<MfaPolicy> mfa = ExclusionResolver.mfaPolicies(policies, strengths, errors);
            List<Detection> detections = ExclusionResolver.resolve(mfa, dir);
            CoverageCalculator.Coverage coverage = CoverageCalculator.compute(mfa, dir);
            GapSignalReader.Outcome signals = new GapSignalReader(reads, settings,
                    access.disabled(PermissionTable.SIGN_INS) ? skipped("sign-ins", PermissionTable.SIGN_INS) : null).read(clock.instant(), detections,
                    coverage, dir);
            coverage = coverage.withPerUserMfa(signals.perUserMfaProtected());
            signals.failures().forEach(this::fail);
            missingSignals.addAll(signals.missing());
            errors.addAll(dir.problems);
            if (withoutId > 0) {
                errors.add(withoutId + " directory object(s) without an id in Graph's answers");
            }
            ScanStatus status = status(failedReads, errors);
            int evaluated = (int) mfa.stream().filter(p -> p.ref().mfaRequirement() != MfaRequirement.BLOCK).count();
            List<Gap> gaps = new ArrayList<>(registrationGaps());
            TenantScan.Posture posture = new TenantScan.Posture(
                    registration == null ? null : (int) gaps.stream().filter(g -> g.kind() == io.mfagov.model.events.GapKind.NOT_REGISTERED).count(),
                    registration == null ? null : (int) gaps.stream().filter(g -> g.kind() == io.mfagov.model.events.GapKind.NOT_CAPABLE).count(),
                    signals.windowDays(), signals.windowStart(), signals.windowEnd(), signals.singleFactorUsers(),
                    signals.perUserMfaOnly(), signals.signInsRead(), signals.singleFactorSignIns());
            gaps.addAll(signals.gaps());
            return new TenantScan(tenantId, status, detections, reads.session().requestCount(), error(status, errors),
                    failedReads, evaluated, started, clock.instant(), coverage, notes, gaps, missingSignals, posture,
                    signals.usage());
        }

        /**
         * Enabled members and guests (the enabled-user list decides who is enabled) that are not MFA-registered
         * (NOT_REGISTERED), or registered but not MFA-capable (NOT_CAPABLE). Users the report does not list are not
         * guessed about. None when registration or the users were not read.
         */
        private List<Gap> registrationGaps() {
            if (registration == null || dir.enabledUsers == null) {
                return List.of();
            }
            List<Gap> gaps = new ArrayList<>();
            for (DirObject u : dir.enabledUsers) {
                com.microsoft.graph.models.UserRegistrationDetails r = registration.get(u.id().toLowerCase(Locale.ROOT));
                if (r == null) {
                    continue;
                }
                io.mfagov.model.events.GapKind kind = !Boolean.TRUE.equals(r.getIsMfaRegistered())
                        ? io.mfagov.model.events.GapKind.NOT_REGISTERED
                        : !Boolean.TRUE.equals(r.getIsMfaCapable()) ? io.mfagov.model.events.GapKind.NOT_CAPABLE : null;
                if (kind == null) {
                    continue;
                }
                List<String> methods = r.getMethodsRegistered() == null ? List.of() : r.getMethodsRegistered();
                String preferred = r.getUserPreferredMethodForSecondaryAuthentication() == null ? null
                        : r.getUserPreferredMethodForSecondaryAuthentication().getValue();
                String detail = kind == io.mfagov.model.events.GapKind.NOT_REGISTERED
                        ? "no MFA method registered" + (methods.isEmpty() ? "" : " (registered: " + String.join(", ", methods) + ")")
                        : "MFA-registered but no method the authentication methods policy allows (registered: "
                        + String.join(", ", methods) + ")";
                gaps.add(Gap.registration(kind, u, CoverageCalculator.privileged(u, dir), preferred, methods, detail));
            }
            return gaps;
        }

        private void addGetByIds(List<Step<?>> steps, List<String> ids) {
            for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL));
                steps.add(new Step<>("getByIds#" + (++getByIdsCalls), () -> getByIds(chunk),
                        GetByIdsPostResponse::createFromDiscriminatorValue));
            }
        }

        /**
         * The CA policies, read as raw JSON with {@code Prefer: include-unknown-enum-members} so that enum members Graph
         * added after {@code unknownFutureValue} (the {@code linux} platform, {@code riskRemediation}) arrive as
         * themselves; values the scanner does not know are kept as text.
         */
        private List<CaPolicy> readPolicies() {
            List<CaPolicy> all = new ArrayList<>();
            JsonNode page = reads.json("conditionalAccess/policies", true, () -> {
                RequestInformation ri = client.identity().conditionalAccess().policies().toGetRequestInformation(rc -> {
                    rc.queryParameters.select = POLICY_SELECT;
                    settings.policyPageSize().ifPresent(top -> rc.queryParameters.top = top);
                });
                ri.headers.add("Prefer", PREFER_UNKNOWN_ENUMS);
                ri.headers.tryAdd("Accept", "application/json");
                return ri;
            });
            int n = 1;
            while (true) {
                JsonNode value = page.get("value");
                if (value == null || !value.isArray()) {
                    throw new ReadFailure("conditionalAccess/policies", ReadFailure.Kind.TRANSIENT, 0,
                            "malformed answer: no value");
                }
                for (JsonNode p : value) {
                    if (p != null && p.isObject()) {
                        all.add(CaPolicy.parse(p));
                    }
                }
                JsonNode next = page.get("@odata.nextLink");
                if (next == null || !next.isTextual()) {
                    return all;
                }
                String url = next.asText();
                n++;
                page = reads.json("conditionalAccess/policies (page " + n + ")", true, () -> {
                    RequestInformation ri = GraphReads.get(url);
                    ri.headers.add("Prefer", PREFER_UNKNOWN_ENUMS);
                    return ri;
                });
            }
        }

        private RequestInformation getByIds(List<String> chunk) {
            GetByIdsPostRequestBody body = new GetByIdsPostRequestBody();
            body.setIds(new ArrayList<>(chunk));
            body.setTypes(new ArrayList<>(List.of("user", "group", "servicePrincipal")));
            RequestInformation ri = client.directoryObjects().getByIds().toPostRequestInformation(body);
            try {
                ri.setUri(URI.create(ri.getUri() + "?$select=" + USER_SELECT));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            return ri;
        }

        private Step<DirectoryObjectCollectionResponse> membersStep(String group) {
            groupsRequested.add(group.toLowerCase(Locale.ROOT));
            return new Step<>("transitiveMembers:" + group, () -> client.groups().byGroupId(group).transitiveMembers()
                    .toGetRequestInformation(rc -> {
                        rc.queryParameters.top = settings.pageSize();
                        rc.queryParameters.select = MEMBER_SELECT;
                    }), DirectoryObjectCollectionResponse::createFromDiscriminatorValue);
        }

        /**
         * A 404 on a group's members means a deleted (dangling) group only if the group is nowhere in this scan:
         * every getByIds call succeeded without returning it and no other read listed it. A group getByIds just
         * returned (replication lag between Graph's replicas), or seen as a member or role holder, answering 404 is
         * a failed read: reporting it as dangling would drop its members and complete the scan without them.
         */
        private void settleMissingGroups() {
            dir.idsRead = !idsFailed;
            Set<String> known = new java.util.HashSet<>();
            dir.objects.keySet().forEach(id -> known.add(id.toLowerCase(Locale.ROOT)));
            membersNotFound.forEach((group, f) -> {
                if (isDeletedGroup(group, dir.idsRead, known)) {
                    dir.missingGroups.add(group);
                } else {
                    fail(new ReadFailure(f.read(), f.kind(), f.status(), f.getMessage().substring(f.read().length() + 2)
                            + (dir.idsRead ? " (the group exists: this scan read it; replication lag?)"
                            : " (cannot tell a deleted group from a failed read: getByIds failed)")));
                }
            });
        }

        /**
         * What the answers so far make necessary: members of nested groups, of role-assignable groups holding a role
         * a policy names or an admin role, and of groups eligible for those roles; directory objects PIM named by id
         * only. A group already read in full is never read again.
         */
        private List<Step<?>> nextRound(List<CaPolicy> relevant) {
            Set<String> roles = new LinkedHashSet<>(CoverageCalculator.ADMIN_ROLES);
            relevant.forEach(p -> {
                roles.addAll(p.users().includeRoles());
                roles.addAll(p.users().excludeRoles());
            });
            Set<String> wanted = new LinkedHashSet<>();
            for (List<DirObject> members : dir.transitiveMembers.values()) {
                members.stream().filter(m -> m.kind() == DirObject.Kind.GROUP).forEach(m -> wanted.add(m.id()));
            }
            for (String role : roles) {
                dir.roleHolders.getOrDefault(role, List.of()).stream().filter(m -> m.kind() == DirObject.Kind.GROUP)
                        .forEach(m -> wanted.add(m.id()));
            }
            Set<String> unknown = new LinkedHashSet<>();
            List<String> eligibleIds = new ArrayList<>();
            if (dir.eligibleRoleHolders != null) {
                roles.forEach(r -> eligibleIds.addAll(dir.eligibleRoleHolders.getOrDefault(r, List.of())));
            }
            dir.eligibleGroupMembers.values().forEach(eligibleIds::addAll);
            for (String id : eligibleIds) {
                DirObject o = dir.objects.get(id);
                if (o == null) {
                    if (Ids.isGuid(id) && looked.add(id.toLowerCase(Locale.ROOT))) {
                        unknown.add(id);
                    }
                } else if (o.kind() == DirObject.Kind.GROUP) {
                    wanted.add(o.id());
                }
            }
            List<Step<?>> steps = new ArrayList<>();
            addGetByIds(steps, new ArrayList<>(unknown));
            for (String g : wanted) {
                if (!groupsRequested.contains(g.toLowerCase(Locale.ROOT))) {
                    steps.add(membersStep(g));
                }
            }
            return steps;
        }

        private void absorb(String name, Result<?> result) {
            if (!result.ok()) {
                ReadFailure f = result.failure();
                if ((name.equals("roleEligibilityScheduleInstances") || name.startsWith("groupEligibility:"))
                        && (f.kind() == ReadFailure.Kind.ACCESS_DENIED || f.kind() == ReadFailure.Kind.REJECTED)) {
                    // no Entra ID P2 / Governance licence, or no permission: the scan stays COMPLETE and says so
                    String note = (name.equals("roleEligibilityScheduleInstances") ? "PIM role eligibility"
                            : "PIM group eligibility") + " not read (licence or permission): " + f.getMessage();
                    if (notes.stream().noneMatch(n -> n.startsWith(note.substring(0, 20)))) {
                        notes.add(note);
                    }
                    return;
                }
                if (name.equals("userRegistrationDetails") && f.kind() == ReadFailure.Kind.ACCESS_DENIED) {
                    // no Entra ID P1/P2 (Authentication_RequestFromNonPremiumTenantOrB2CTenant) or no AuditLog.Read.All:
                    // the scan stays COMPLETE, names the signal, and infers nothing from the refusal
                    missingSignals.add(new io.mfagov.model.events.MissingSignal(REGISTRATION, f.getMessage()));
                    return;
                }
                if (name.startsWith("transitiveMembers:") && f.kind() == ReadFailure.Kind.NOT_FOUND) {
                    membersNotFound.put(name.substring("transitiveMembers:".length()), f);
                    return;
                }
                if (name.startsWith("servicePrincipals")) {
                    dir.applicationsRead = false;
                }
                fail(f);
                return;
            }
            Object value = result.value();
            try {
                if (value instanceof GetByIdsPostResponse r) {
                    if (r.getValue() == null) {
                        throw new GraphReads.MalformedAnswer("no value");
                    }
                    for (DirectoryObject o : r.getValue()) {
                        DirObject d = DirObject.of(o);
                        if (d != null) {
                            dir.objects.put(d.id(), d);
                        } else {
                            withoutId++;
                        }
                    }
                } else if (value instanceof IdentitySecurityDefaultsEnforcementPolicy sd) {
                    dir.securityDefaults = sd.getIsEnabled();
                    if (sd.getIsEnabled() == null) {
                        throw new GraphReads.MalformedAnswer("isEnabled missing");
                    }
                } else if (value instanceof AuthenticationStrengthPolicyCollectionResponse r) {
                    for (AuthenticationStrengthPolicy sp : pages(name, r, AuthenticationStrengthPolicyCollectionResponse::getValue,
                            AuthenticationStrengthPolicyCollectionResponse::getOdataNextLink,
                            AuthenticationStrengthPolicyCollectionResponse::createFromDiscriminatorValue)) {
                        if (sp.getId() != null) {
                            String requirements = sp.getRequirementsSatisfied() == null ? "none"
                                    : String.join(",", sp.getRequirementsSatisfied().stream()
                                    .map(AuthenticationStrengthRequirements::getValue).toList());
                            strengths.put(sp.getId().toLowerCase(Locale.ROOT),
                                    new CaPolicy.Strength(sp.getId(), sp.getDisplayName(), requirements));
                        }
                    }
                } else if (value instanceof UserCollectionResponse r) {
                    List<DirObject> users = new ArrayList<>();
                    for (User u : pages(name, r, UserCollectionResponse::getValue, UserCollectionResponse::getOdataNextLink,
                            UserCollectionResponse::createFromDiscriminatorValue)) {
                        DirObject d = DirObject.of(u);
                        if (d == null) {
                            withoutId++;
                        } else if (!Boolean.FALSE.equals(d.accountEnabled())) {
                            users.add(d);
                            dir.objects.putIfAbsent(d.id(), d);
                        }
                    }
                    dir.enabledUsers = users;
                } else if (value instanceof com.microsoft.graph.models.UserRegistrationDetailsCollectionResponse r) {
                    Map<String, com.microsoft.graph.models.UserRegistrationDetails> byId = new java.util.HashMap<>();
                    for (com.microsoft.graph.models.UserRegistrationDetails d : pages(name, r,
                            com.microsoft.graph.models.UserRegistrationDetailsCollectionResponse::getValue,
                            com.microsoft.graph.models.UserRegistrationDetailsCollectionResponse::getOdataNextLink,
                            com.microsoft.graph.models.UserRegistrationDetailsCollectionResponse::createFromDiscriminatorValue)) {
                        if (d.getId() != null) {
                            byId.put(d.getId().toLowerCase(Locale.ROOT), d);
                        }
                    }
                    registration = byId;
                } else if (value instanceof UnifiedRoleEligibilityScheduleInstanceCollectionResponse r) {
                    Map<String, List<String>> eligible = new java.util.HashMap<>();
                    for (UnifiedRoleEligibilityScheduleInstance e : pages(name, r,
                            UnifiedRoleEligibilityScheduleInstanceCollectionResponse::getValue,
                            UnifiedRoleEligibilityScheduleInstanceCollectionResponse::getOdataNextLink,
                            UnifiedRoleEligibilityScheduleInstanceCollectionResponse::createFromDiscriminatorValue)) {
                        if ("/".equals(e.getDirectoryScopeId()) && e.getRoleDefinitionId() != null && e.getPrincipalId() != null) {
                            List<String> holders = eligible.computeIfAbsent(e.getRoleDefinitionId(), k -> new ArrayList<>());
                            if (!holders.contains(e.getPrincipalId())) {
                                holders.add(e.getPrincipalId());
                            }
                        }
                    }
                    dir.eligibleRoleHolders = eligible;
                } else if (value instanceof PrivilegedAccessGroupEligibilityScheduleInstanceCollectionResponse r) {
                    String group = name.substring("groupEligibility:".length());
                    List<String> members = new ArrayList<>();
                    for (PrivilegedAccessGroupEligibilityScheduleInstance e : pages(name, r,
                            PrivilegedAccessGroupEligibilityScheduleInstanceCollectionResponse::getValue,
                            PrivilegedAccessGroupEligibilityScheduleInstanceCollectionResponse::getOdataNextLink,
                            PrivilegedAccessGroupEligibilityScheduleInstanceCollectionResponse::createFromDiscriminatorValue)) {
                        boolean member = e.getAccessId() == null || e.getAccessId() == PrivilegedAccessGroupRelationships.Member;
                        if (member && e.getPrincipalId() != null && !members.contains(e.getPrincipalId())) {
                            members.add(e.getPrincipalId());
                        }
                    }
                    dir.eligibleGroupMembers.put(group, members);
                } else if (value instanceof DirectoryObjectCollectionResponse r) {
                    String group = name.substring("transitiveMembers:".length());
                    List<DirectoryObject> all = pages(name, r, DirectoryObjectCollectionResponse::getValue,
                            DirectoryObjectCollectionResponse::getOdataNextLink,
                            DirectoryObjectCollectionResponse::createFromDiscriminatorValue);
                    List<DirObject> members = new ArrayList<>();
                    for (DirectoryObject o : all) {
                        DirObject d = DirObject.of(o);
                        if (d != null) {
                            members.add(d);
                            dir.objects.putIfAbsent(d.id(), d);
                        } else {
                            withoutId++;
                        }
                    }
                    dir.transitiveMembers.put(group, members);
                } else if (value instanceof UnifiedRoleAssignmentCollectionResponse r) {
                    List<UnifiedRoleAssignment> all = pages(name, r, UnifiedRoleAssignmentCollectionResponse::getValue,
                            UnifiedRoleAssignmentCollectionResponse::getOdataNextLink,
                            UnifiedRoleAssignmentCollectionResponse::createFromDiscriminatorValue);
                    Map<String, Set<String>> seen = new java.util.HashMap<>();
                    for (UnifiedRoleAssignment a : all) {
                        if (!"/".equals(a.getDirectoryScopeId()) || a.getRoleDefinitionId() == null) {
                            continue; // administrative-unit scoped assignments do not count for CA
                        }
                        DirObject d = DirObject.of(a.getPrincipal());
                        if (d == null && a.getPrincipalId() != null) {
                            // the principal Graph did not return: unresolved, of unknown type
                            d = new DirObject(a.getPrincipalId(), DirObject.Kind.OTHER, null, null, null, null, null);
                        }
                        if (d != null && seen.computeIfAbsent(a.getRoleDefinitionId(), k -> new LinkedHashSet<>()).add(d.id())) {
                            dir.roleHolders.computeIfAbsent(a.getRoleDefinitionId(), k -> new ArrayList<>()).add(d);
                            if (d.kind() != DirObject.Kind.OTHER) {
                                dir.objects.putIfAbsent(d.id(), d);
                            }
                        }
                    }
                    dir.allRolesRead = true;
                } else if (value instanceof ServicePrincipalCollectionResponse r) {
                    List<ServicePrincipal> all = pages(name, r, ServicePrincipalCollectionResponse::getValue,
                            ServicePrincipalCollectionResponse::getOdataNextLink,
                            ServicePrincipalCollectionResponse::createFromDiscriminatorValue);
                    for (ServicePrincipal sp : all) {
                        if (sp.getAppId() != null) {
                            dir.applications.put(sp.getAppId().toLowerCase(Locale.ROOT), DirObject.of(sp));
                        }
                    }
                }
            } catch (ReadFailure f) {
                fail(f);
            } catch (RuntimeException e) {
                fail(new ReadFailure(name, ReadFailure.Kind.TRANSIENT, 0, "malformed answer: "
                        + redactor.clean(e.getMessage())));
            }
        }

        private <R extends com.microsoft.kiota.serialization.Parsable, E> List<E> pages(
                String name, R first, Function<R, List<E>> values, Function<R, String> next,
                com.microsoft.kiota.serialization.ParsableFactory<R> factory) {
            List<E> out = new ArrayList<>();
            R page = first;
            int n = 1;
            while (true) {
                List<E> v = values.apply(page);
                if (v == null) {
                    throw new ReadFailure(name, ReadFailure.Kind.TRANSIENT, 0, "malformed answer: no value (page " + n + ")");
                }
                out.addAll(v);
                String link = next.apply(page);
                if (link == null) {
                    return out;
                }
                n++;
                page = reads.next(name + " (page " + n + ")", link, factory);
            }
        }

        private void readLocations() {
            try {
                NamedLocationCollectionResponse first = reads.call("namedLocations", true,
                        () -> client.identity().conditionalAccess().namedLocations().get());
                List<NamedLocation> all = new ArrayList<>();
                NamedLocationCollectionResponse page = first;
                while (true) {
                    if (page.getValue() == null) {
                        throw new ReadFailure("namedLocations", ReadFailure.Kind.TRANSIENT, 0, "malformed answer: no value");
                    }
                    all.addAll(page.getValue());
                    String next = page.getOdataNextLink();
                    if (next == null) {
                        break;
                    }
                    page = reads.call("namedLocations (next page)", true,
                            () -> client.identity().conditionalAccess().namedLocations().withUrl(next).get());
                }
                for (NamedLocation l : all) {
                    if (l.getId() != null) {
                        boolean trusted = l instanceof IpNamedLocation ip && Boolean.TRUE.equals(ip.getIsTrusted());
                        List<String> ranges = l instanceof IpNamedLocation ip && ip.getIpRanges() != null
                                ? ip.getIpRanges().stream().map(TenantScanner::cidr).filter(java.util.Objects::nonNull).toList()
                                : List.of();
                        List<String> countries = l instanceof CountryNamedLocation c && c.getCountriesAndRegions() != null
                                ? c.getCountriesAndRegions() : List.of();
                        String kind = l instanceof IpNamedLocation ? "ipRanges" : l instanceof CountryNamedLocation
                                ? "countriesAndRegions" : "namedLocation";
                        dir.locations.put(l.getId().toLowerCase(Locale.ROOT), new PolicyRules.Location(l.getId(),
                                l.getDisplayName(), trusted, kind, ranges, countries));
                    }
                }
                dir.locationsRead = true;
            } catch (ReadFailure f) {
                fail(f);
            }
        }

        private void fail(ReadFailure f) {
            if (f.read().startsWith("getByIds")) {
                idsFailed = true;
            }
            failedReads.add(f.read());
            errors.add(f.getMessage());
        }
    }

    /**
     * A scan that read the policies is COMPLETE only when no read failed and nothing Graph answered was malformed;
     * otherwise PARTIAL (what was read is reported, but a PARTIAL scan never removes exclusions). A scan that could not
     * read the policies, or had no credentials, is FAILED ({@link #scan}).
     */
    static ScanStatus status(List<String> failedReads, List<String> problems) {
        return failedReads.isEmpty() && problems.isEmpty() ? ScanStatus.COMPLETE : ScanStatus.PARTIAL;
    }

    /** Why a scan is not COMPLETE: its problems joined, at most 2,000 characters; none for a COMPLETE scan. */
    static String error(ScanStatus status, List<String> problems) {
        return status == ScanStatus.COMPLETE ? null : truncate(String.join("; ", problems));
    }

    /**
     * Whether a group whose members answered 404 is a deleted (dangling) group: only when every getByIds call succeeded
     * and none of this scan's reads returned it ({@code known}: ids the scan saw, lower case). Otherwise the 404 is a
     * failed read.
     */
    static boolean isDeletedGroup(String group, boolean idsRead, Set<String> known) {
        return idsRead && !known.contains(group.toLowerCase(Locale.ROOT));
    }

    private static String cidr(com.microsoft.graph.models.IpRange range) {
        if (range instanceof com.microsoft.graph.models.IPv4CidrRange v4) {
            return v4.getCidrAddress();
        }
        if (range instanceof com.microsoft.graph.models.IPv6CidrRange v6) {
            return v6.getCidrAddress();
        }
        return null;
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
