package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.RequestInformation;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.RemediationApplied;
import io.mfagov.model.events.RemediationFailed;
import io.mfagov.model.events.RemediationFailure;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationPlanned;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.graph.GraphReads;
import io.mfagov.scanner.graph.GraphSession;
import io.mfagov.scanner.graph.PermissionTable;
import io.mfagov.scanner.graph.ReadFailure;
import io.mfagov.scanner.graph.Redactor;
import io.mfagov.scanner.service.RemediationPlanner.GroupFacts;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Carries out a {@link RemediationRequested} against the tenant through the Graph SDK: PLAN (read and plan, write
 * nothing), APPLY and ROLLBACK (read–compare–write–re-read: Graph offers no ETag on CA policies).
 *
 * <ul>
 * <li>A request after its {@code notAfter} is answered STALE_REQUEST without a read.</li>
 * <li>A write first checks the app-only token's {@code roles} claim for the permissions it needs (a Graph 403 on the
 * write means the same): ENFORCEMENT_NOT_PERMITTED with the missing permissions, never a silent skip.</li>
 * <li>Right before the write the policy (or group membership) is read again and compared with what the approved plan
 * expected; anything different is re-planned from what was just read and nothing is written.</li>
 * <li>The PATCH body is the whole {@code conditions.users} object as just read with only the one id removed (or, for a
 * rollback, re-added); after it the whole policy is read back and every difference besides the intended one is
 * reported ({@code unexpectedChanges}: a concurrent edit raced the write).</li>
 * <li>CA requests are paced per tenant ({@code mfagov.graph.ca-interval}, shared with the tenant's scans); every
 * request, retries included, is counted in {@code graphRequestCount}.</li>
 * </ul>
 *
 * Requests of one tenant are handled one at a time; a request id answered recently is skipped (bounded memory).
 */
public final class RemediationService {

    private static final Logger LOG = Logger.getLogger(RemediationService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** What a policy edit needs (app-only; no Entra role). */
    public static final List<String> POLICY_WRITE = List.of("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess");
    /** What a membership removal needs; a role-assignable group also needs {@link #ROLE_ASSIGNABLE_WRITE}. */
    public static final String MEMBER_WRITE = "GroupMember.ReadWrite.All";
    public static final String ROLE_ASSIGNABLE_WRITE = "RoleManagement.ReadWrite.Directory";
    private static final String DIRECTORY_OBJECTS = "https://graph.microsoft.com/v1.0/directoryObjects/";

    private final GraphClientFactory factory;
    private final Clock clock;
    private final Redactor redactor;
    private final io.mfagov.scanner.graph.AccessChecker checker;
    private final Map<UUID, Boolean> answered;
    private final ConcurrentMap<String, Object> tenantLocks = new ConcurrentHashMap<>();

    /** @param answeredCapacity request ids remembered as answered (oldest forgotten first) */
    public RemediationService(GraphClientFactory factory, Clock clock, int answeredCapacity) {
        this.factory = factory;
        this.clock = clock;
        this.redactor = factory.redactor();
        this.checker = new io.mfagov.scanner.graph.AccessChecker(factory);
        int capacity = Math.max(1, answeredCapacity);
        this.answered = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                return size() > capacity;
            }
        });
    }

    /**
     * Answers the request through {@code publish} (which throws if the answer was not delivered), unless its id was
     * answered recently. One request of a tenant at a time.
     *
     * @return false when skipped as already answered
     */
    public boolean process(RemediationRequested request, Consumer<EventPayload> publish) {
        Object lock = tenantLocks.computeIfAbsent(request.tenantId().toLowerCase(Locale.ROOT), t -> new Object());
        synchronized (lock) {
            if (answered.containsKey(request.requestId())) {
                LOG.infof("remediation request %s (tenant %s) already answered: skipped", request.requestId(),
                        request.tenantId());
                return false;
            }
            EventPayload answer = answer(request);
            publish.accept(answer);
            answered.put(request.requestId(), Boolean.TRUE);
            LOG.infof("remediation request %s (tenant %s, %s, policy %s) answered %s", request.requestId(),
                    request.tenantId(), request.mode(), request.policyId(), answer.getClass().getSimpleName());
            return true;
        }
    }

    /**
     * Refuses a request this scanner cannot carry out (dead-lettered with the reason): an unknown mode, an APPLY or
     * ROLLBACK of a plan that writes nothing, ids that are not object ids where they become part of a Graph URL.
     */
    public static void validate(RemediationRequested r) {
        if (r.mode() == RemediationMode.UNKNOWN) {
            throw new IllegalArgumentException("mode: not a mode this scanner knows");
        }
        requireGuid(r.policyId(), "policyId");
        RemediationPlanner.membershipGroup(r).ifPresent(g -> {
            requireGuid(g, "via (group id)");
            requireGuid(r.principalId(), "principalId");
        });
        if (r.mode() == RemediationMode.APPLY || r.mode() == RemediationMode.ROLLBACK) {
            RemediationPlan plan = r.plan();
            if (!r.policyId().equals(plan.policyId())) {
                throw new IllegalArgumentException("plan.policyId: differs from policyId");
            }
            switch (plan.kind()) {
                case EXCLUDE_LIST -> {
                    if (!RemediationPlanner.EXCLUDE_LISTS.contains(plan.listName())) {
                        throw new IllegalArgumentException("plan.listName: must be one of " + RemediationPlanner.EXCLUDE_LISTS);
                    }
                }
                case GROUP_MEMBERSHIP -> {
                    requireGuid(plan.groupId(), "plan.groupId");
                    requireGuid(plan.removedId(), "plan.removedId");
                }
                default -> throw new IllegalArgumentException("plan.kind: " + plan.kind() + " writes nothing; only "
                        + "EXCLUDE_LIST and GROUP_MEMBERSHIP plans are applied or rolled back");
            }
        }
    }

    private static void requireGuid(String value, String field) {
        if (value == null || !GUID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": must be an object id (GUID)");
        }
    }

    /** The answer to one request (no replay check). */
    public EventPayload answer(RemediationRequested r) {
        Instant now = clock.instant();
        if (now.isAfter(r.notAfter())) {
            return failed(r, RemediationFailure.STALE_REQUEST, "the request was void after " + r.notAfter()
                    + " (received " + now + "): nothing read or written", List.of(), 0);
        }
        // the scan's access check: a token for the tenant's credential set, its roles (no Graph request)
        io.mfagov.scanner.graph.AccessCheck access = checker.check(r.tenantId(), r.credentialRef());
        if (access.scanBlocked() && !access.rolesKnown()) {
            return failed(r, RemediationFailure.GRAPH_ERROR, "no token for tenant " + r.tenantId() + " ("
                    + access.status() + "): " + access.detail() + "; nothing was read or written", List.of(), 0);
        }
        GraphSession session;
        try {
            session = factory.open(r.tenantId(), r.credentialRef());
        } catch (GraphClientFactory.MissingCredentialsException e) {
            return failed(r, RemediationFailure.GRAPH_ERROR, redactor.clean(e.getMessage()), List.of(), 0);
        }
        Run run = new Run(r, session, new GraphReads(session, factory.settings(), redactor),
                access.rolesKnown() ? Optional.of(access.grantedSet()) : Optional.empty());
        try {
            return switch (r.mode()) {
                case PLAN -> run.plan();
                case APPLY, ROLLBACK -> r.plan().kind() == PlanKind.GROUP_MEMBERSHIP ? run.membership() : run.excludeList();
                default -> throw new IllegalArgumentException("mode " + r.mode());
            };
        } catch (ReadFailure f) {
            return run.failure(f);
        } catch (RuntimeException e) {
            // a token that cannot be obtained (consent revoked, wrong secret): nothing was written
            return failed(r, RemediationFailure.GRAPH_ERROR, redactor.clean(String.valueOf(e.getMessage())), List.of(),
                    session.requestCount());
        }
    }

    /** One request's reads and writes, counted on its own session. */
    private final class Run {
        private final RemediationRequested r;
        private final GraphSession session;
        private final GraphReads graph;
        private final String base;
        /** Permissions the operation under way needs (what a 403 names as missing). */
        private List<String> required = List.of("Policy.Read.All");
        /** The token's roles from the access check; empty when unknown (static token): then Graph's 403 tells. */
        private final Optional<Set<String>> roles;

        Run(RemediationRequested r, GraphSession session, GraphReads graph, Optional<Set<String>> roles) {
            this.roles = roles;
            this.r = r;
            this.session = session;
            this.graph = graph;
            this.base = factory.settings().baseUrl();
        }

        // ---- PLAN ----------------------------------------------------------------------------------------------

        /** The dry run; a plan that would remove a protected exclusion is refused already here (and alerted). */
        EventPayload plan() {
            JsonNode policy = readPolicy();
            RemediationPlan plan = planFrom(policy);
            Optional<String> refused = switch (plan.kind()) {
                case EXCLUDE_LIST -> RemediationPlanner.protectedViolation(plan.removedId(), plan.usersBefore(),
                        plan.patchBody().path("conditions").path("users"), r.protectedIds());
                case GROUP_MEMBERSHIP -> RemediationPlanner.protectedViolation(plan.removedId(), null, null, r.protectedIds());
                default -> Optional.empty();
            };
            if (refused.isPresent()) {
                return failed(r, RemediationFailure.PROTECTED_PRINCIPAL, refused.get(), List.of(), session.requestCount());
            }
            return planned(plan, null);
        }

        private RemediationPlan planFrom(JsonNode policy) {
            return RemediationPlanner.plan(r, policy, groupFactsFor(policy));
        }

        /** The membership group's facts, read only when the plan could be a membership removal. */
        private GroupFacts groupFactsFor(JsonNode policy) {
            Optional<String> group = RemediationPlanner.membershipGroup(r);
            if (group.isEmpty()) {
                return null;
            }
            String outer = r.via().path().isEmpty() ? r.via().id() : r.via().path().get(0).id();
            if (!RemediationPlanner.contains(RemediationPlanner.users(policy).path(RemediationPlanner.EXCLUDE_GROUPS), outer)) {
                return null; // the route is gone: NONE, no need to read the group
            }
            try {
                JsonNode g = readGroup(group.get());
                return GroupFacts.of(g, isMember(group.get(), r.principalId()), null);
            } catch (ReadFailure f) {
                if (f.kind() == ReadFailure.Kind.NOT_FOUND) {
                    return null;
                }
                throw f;
            }
        }

        // ---- APPLY / ROLLBACK of an exclude list -----------------------------------------------------------------

        EventPayload excludeList() {
            RemediationPlan plan = r.plan();
            boolean apply = r.mode() == RemediationMode.APPLY;
            required = POLICY_WRITE;
            List<String> missing = roles.map(g -> PermissionTable.missingFor(g, "conditionalAccessPolicyRead",
                    "conditionalAccessPolicyPatch")).orElse(List.of());
            if (!missing.isEmpty()) {
                return notPermitted(missing, "token roles");
            }
            JsonNode before = readPolicy();
            JsonNode users = RemediationPlanner.users(before);
            String modified = before.path("modifiedDateTime").asText(null);
            String changed = changeSince(expectedModified(plan), expectedUsers(plan), modified, users);
            if (changed != null) {
                RemediationPlan next = apply ? planFrom(before) : RemediationPlanner.rollbackPlan(r, before);
                return planned(next, changed);
            }
            String list = plan.listName();
            String id = plan.removedId();
            if (apply != RemediationPlanner.contains(users.path(list), id)) {
                RemediationPlan next = apply ? planFrom(before) : RemediationPlanner.rollbackPlan(r, before);
                return planned(next, id + (apply ? " is no longer in " : " is already in ") + list);
            }
            ObjectNode usersAfter = apply ? RemediationPlanner.without(users, list, id) : RemediationPlanner.with(users, list, id);
            if (apply) {
                Optional<String> refused = RemediationPlanner.protectedViolation(id, users, usersAfter, r.protectedIds());
                if (refused.isPresent()) {
                    return failed(r, RemediationFailure.PROTECTED_PRINCIPAL, refused.get(), List.of(), session.requestCount());
                }
            }
            ObjectNode body = RemediationPlanner.patchBody(usersAfter);
            String url = policyUrl();
            try {
                graph.write("conditionalAccessPolicyPatch", true, () -> GraphReads.jsonRequest(HttpMethod.PATCH, url, body));
            } catch (ReadFailure f) {
                if (f.kind() != ReadFailure.Kind.TRANSIENT) {
                    return failure(f);
                }
                // 5xx or no answer: whether Graph applied it only the re-read tells
                JsonNode now = readPolicy();
                if (apply == RemediationPlanner.contains(RemediationPlanner.users(now).path(list), id)) {
                    return failed(r, RemediationFailure.GRAPH_ERROR, f.getMessage() + " (read back: not applied)",
                            List.of(), session.requestCount());
                }
                return applied(before, usersAfter, now);
            }
            return applied(before, usersAfter, readPolicy());
        }

        private RemediationApplied applied(JsonNode before, ObjectNode intendedUsers, JsonNode after) {
            RemediationPlan plan = r.plan();
            ObjectNode expected = before.deepCopy();
            JsonNode conditions = expected.get("conditions");
            (conditions instanceof ObjectNode c ? c : expected.putObject("conditions")).set("users", intendedUsers);
            List<String> unexpected = PolicyDiff.diff(expected, after);
            if (!unexpected.isEmpty()) {
                LOG.warnf("remediation %s (tenant %s, policy %s): the policy read back differs besides the intended change at %s",
                        r.remediationId(), r.tenantId(), r.policyId(), unexpected);
            }
            JsonNode usersBefore = RemediationPlanner.users(before);
            JsonNode usersAfter = RemediationPlanner.users(after);
            return new RemediationApplied(r.remediationId(), r.requestId(), r.tenantId(), r.mode(), PlanKind.EXCLUDE_LIST,
                    r.policyId(), plan.listName(), plan.removedId(), null,
                    RemediationPlanner.list(usersBefore, plan.listName()), RemediationPlanner.list(usersAfter, plan.listName()),
                    before.path("modifiedDateTime").asText(null), after.path("modifiedDateTime").asText(null),
                    usersAfter.deepCopy(), unexpected, strip(before), strip(after), clock.instant(), session.requestCount());
        }

        // ---- APPLY / ROLLBACK of a group membership --------------------------------------------------------------

        EventPayload membership() {
            RemediationPlan plan = r.plan();
            boolean apply = r.mode() == RemediationMode.APPLY;
            String g = plan.groupId();
            String p = plan.removedId();
            required = List.of(MEMBER_WRITE);
            List<String> missing = missingMemberWrite(false);
            if (!missing.isEmpty()) {
                return notPermitted(missing, "token roles");
            }
            JsonNode group = readGroup(g);
            GroupFacts facts = GroupFacts.of(group, isMember(g, p), null);
            if (facts.assignableToRole()) {
                required = List.of(MEMBER_WRITE, ROLE_ASSIGNABLE_WRITE);
                missing = missingMemberWrite(true);
                if (!missing.isEmpty()) {
                    return notPermitted(missing, "token roles (group " + RemediationPlanner.label(facts.displayName(), g)
                            + " is role-assignable)");
                }
            }
            if (apply && (facts.refusal().isPresent() || !facts.directMember())) {
                String why = facts.refusal().orElse(p + " is no longer a direct member of group "
                        + RemediationPlanner.label(facts.displayName(), g));
                return planned(RemediationPlanner.plan(r, readPolicy(), facts), why);
            }
            if (!apply && facts.directMember()) {
                return planned(RemediationPlanner.rollbackMembershipPlan(r, true), p + " is already a direct member of group "
                        + RemediationPlanner.label(facts.displayName(), g));
            }
            if (apply && r.protectedIds().contains(p)) {
                return failed(r, RemediationFailure.PROTECTED_PRINCIPAL, p + " is protected (break-glass or another "
                        + "non-enforceable exception): it is never removed automatically", List.of(), session.requestCount());
            }
            String url = apply ? base + "/groups/" + g + "/members/" + p + "/$ref" : base + "/groups/" + g + "/members/$ref";
            ObjectNode body = apply ? null : JSON.createObjectNode().put("@odata.id", DIRECTORY_OBJECTS + p);
            try {
                graph.write(apply ? "groupMemberRemove" : "groupMemberAdd", false,
                        () -> GraphReads.jsonRequest(apply ? HttpMethod.DELETE : HttpMethod.POST, url, body));
            } catch (ReadFailure f) {
                if (f.kind() != ReadFailure.Kind.TRANSIENT) {
                    return failure(f);
                }
            }
            boolean memberAfter = isMember(g, p);
            if (memberAfter == apply) {
                return failed(r, RemediationFailure.GRAPH_ERROR, "the membership of " + p + " in group " + g
                        + (apply ? " is still present" : " is still absent") + " when read back", List.of(), session.requestCount());
            }
            return new RemediationApplied(r.remediationId(), r.requestId(), r.tenantId(), r.mode(), PlanKind.GROUP_MEMBERSHIP,
                    r.policyId(), "members", p, g, apply ? List.of(p) : List.of(), memberAfter ? List.of(p) : List.of(),
                    null, null, null, List.of(), null, null, clock.instant(), session.requestCount());
        }

        private List<String> missingMemberWrite(boolean roleAssignable) {
            // unknown roles (not a JWT): Graph's 403 tells
            return roles.map(g -> roleAssignable ? PermissionTable.missingFor(g, "groupMembers", "roleAssignableGroupMembers")
                    : PermissionTable.missingFor(g, "groupMembers")).orElse(List.of());
        }

        // ---- reads -----------------------------------------------------------------------------------------------

        private String policyUrl() {
            return base + "/identity/conditionalAccess/policies/" + r.policyId();
        }

        /** The whole policy, with every enum member Graph knows (so a write never sends unknownFutureValue back). */
        private JsonNode readPolicy() {
            return graph.json("conditionalAccessPolicy", true, () -> {
                RequestInformation ri = GraphReads.get(policyUrl());
                ri.headers.add("Prefer", "include-unknown-enum-members");
                return ri;
            });
        }

        private JsonNode readGroup(String groupId) {
            return graph.json("group", false, () -> GraphReads.get(base + "/groups/" + groupId
                    + "?$select=id,displayName,groupTypes,securityEnabled,mailEnabled,onPremisesSyncEnabled,isAssignableToRole"));
        }

        /** Whether {@code memberId} is a direct member (Graph: 200 for a direct member, 404 otherwise). */
        private boolean isMember(String groupId, String memberId) {
            try {
                graph.json("groupMember", false, () -> GraphReads.get(base + "/groups/" + groupId + "/members/" + memberId
                        + "?$select=id"));
                return true;
            } catch (ReadFailure f) {
                if (f.kind() == ReadFailure.Kind.NOT_FOUND) {
                    return false;
                }
                throw f;
            }
        }

        // ---- answers ---------------------------------------------------------------------------------------------

        private List<String> missing(List<String> needed) {
            return roles.map(granted -> needed.stream().filter(p -> !granted.contains(p)).toList()).orElse(List.of());
        }

        private RemediationFailed notPermitted(List<String> missing, String source) {
            return failed(r, RemediationFailure.ENFORCEMENT_NOT_PERMITTED, "the app lacks " + String.join(", ", missing)
                    + " in tenant " + r.tenantId() + " (" + source + "): grant these application permissions (admin "
                    + "consent) to enable enforcement; nothing was written", missing, session.requestCount());
        }

        RemediationFailed failure(ReadFailure f) {
            int status = f.status();
            if (status == 403) {
                List<String> missing = missing(required);
                return failed(r, RemediationFailure.ENFORCEMENT_NOT_PERMITTED, "Graph refused: " + f.getMessage(),
                        missing.isEmpty() ? required : missing, session.requestCount());
            }
            RemediationFailure reason = status == 404 ? RemediationFailure.NOT_FOUND
                    : status == 400 ? RemediationFailure.REFUSED_BY_GRAPH
                    : RemediationFailure.GRAPH_ERROR;
            return failed(r, reason, f.getMessage(), List.of(), session.requestCount());
        }

        private RemediationPlanned planned(RemediationPlan plan, String replanReason) {
            return new RemediationPlanned(r.remediationId(), r.requestId(), r.tenantId(), r.mode(), plan, replanReason,
                    clock.instant(), session.requestCount());
        }

        private String expectedModified(RemediationPlan plan) {
            return r.expectedModifiedDateTime() != null ? r.expectedModifiedDateTime() : plan.policyModifiedDateTime();
        }

        private JsonNode expectedUsers(RemediationPlan plan) {
            return r.expectedUsers() != null ? r.expectedUsers() : plan.usersBefore();
        }
    }

    /**
     * What changed since the plan: {@code modifiedDateTime} and the whole {@code conditions.users} object compared
     * with what the request expects; null when nothing did.
     */
    static String changeSince(String expectedModified, JsonNode expectedUsers, String modified, JsonNode users) {
        List<String> what = new ArrayList<>();
        if (!java.util.Objects.equals(expectedModified, modified)) {
            // null = never modified (Graph leaves it null until the first edit)
            what.add("modifiedDateTime " + expectedModified + " → " + modified);
        }
        if (expectedUsers == null) {
            what.add("the request carries no expected conditions.users");
        } else {
            List<String> paths = PolicyDiff.diff(expectedUsers, users);
            if (!paths.isEmpty()) {
                what.add("conditions.users differs at " + String.join(", ", paths));
            }
        }
        return what.isEmpty() ? null : "the policy changed since the plan: " + String.join("; ", what);
    }

    /** The policy without OData annotations (as the events keep it). */
    private static JsonNode strip(JsonNode policy) {
        ObjectNode copy = policy.deepCopy();
        List<String> annotations = new ArrayList<>();
        copy.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("@odata.")) {
                annotations.add(k);
            }
        });
        annotations.forEach(copy::remove);
        return copy;
    }

    private RemediationFailed failed(RemediationRequested r, RemediationFailure reason, String message, List<String> missing,
                                     int requests) {
        return new RemediationFailed(r.remediationId(), r.requestId(), r.tenantId(), r.mode(), reason, message, missing,
                clock.instant(), requests);
    }
}
