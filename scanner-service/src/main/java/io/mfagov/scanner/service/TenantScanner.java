package io.mfagov.scanner.service;

import io.mfagov.support.ids.Ids;
import com.microsoft.graph.directoryobjects.getbyids.GetByIdsPostRequestBody;
import com.microsoft.graph.directoryobjects.getbyids.GetByIdsPostResponse;
import com.microsoft.graph.models.ConditionalAccessPolicy;
import com.microsoft.graph.models.ConditionalAccessPolicyCollectionResponse;
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
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.graph.GraphReads;
import io.mfagov.scanner.graph.GraphReads.Result;
import io.mfagov.scanner.graph.GraphReads.Step;
import io.mfagov.scanner.graph.GraphSession;
import io.mfagov.scanner.graph.ReadFailure;
import io.mfagov.scanner.graph.Redactor;
import io.mfagov.scanner.service.ExclusionResolver.Directory;
import io.mfagov.scanner.service.ExclusionResolver.MfaPolicy;
import io.mfagov.scanner.service.ExclusionResolver.NamedLoc;

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
 *   <li>the CA policies (paced: 1 request/s per tenant, no Retry-After on 429);</li>
 *   <li>one {@code $batch} (≤20 reads a batch) with: {@code directoryObjects/getByIds} for every excluded user and
 *       group id (≤1000 a call, {@code $select}), {@code transitiveMembers} of each excluded group ({@code $top},
 *       {@code $select}), one {@code roleAssignments} query per excluded role ({@code $filter} on the template id,
 *       {@code $expand=principal}; only tenant-wide assignments count), and service principals by app id
 *       ({@code appId in (...)}, 15 a query);</li>
 *   <li>transitive members of nested groups and of role-assignable groups holding an excluded role (again batched),
 *       needed to name each member's group chain: Graph's transitive list is flat;</li>
 *   <li>named locations, once, only when a policy excludes one (paced like the policies).</li>
 * </ol>
 * Next pages are followed individually. Nothing is read twice in a scan. Runs on the calling thread.
 */
public final class TenantScanner {

    static final String USER_SELECT = "id,displayName,userPrincipalName,userType,accountEnabled,appId";
    private static final String[] MEMBER_SELECT = USER_SELECT.split(",");
    private static final String[] POLICY_SELECT = {"id", "displayName", "state", "conditions", "grantControls"};
    private static final int IDS_PER_CALL = 1000;
    private static final int APP_IDS_PER_QUERY = 15;

    private final GraphClientFactory factory;
    private final ScannerSettings settings;
    private final Redactor redactor;
    private final Clock clock;

    public TenantScanner(GraphClientFactory factory, Clock clock) {
        this.factory = factory;
        this.settings = factory.settings();
        this.redactor = new Redactor(settings.secrets());
        this.clock = clock;
    }

    public Redactor redactor() {
        return redactor;
    }

    /** Scans one tenant. Never throws: any failure is the tenant's FAILED or PARTIAL. */
    public TenantScan scan(String tenantId) {
        Instant started = clock.instant();
        GraphSession session = null;
        try {
            session = factory.open(tenantId);
            return new Run(new GraphReads(session, settings, redactor), tenantId, started).execute();
        } catch (GraphClientFactory.MissingCredentialsException e) {
            return failed(tenantId, started, 0, e.getMessage(), List.of("credentials"));
        } catch (RuntimeException e) {
            return failed(tenantId, started, session == null ? 0 : session.requestCount(),
                    "scan aborted: " + redactor.clean(e.getClass().getSimpleName() + " " + e.getMessage()), List.of());
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

        Run(GraphReads reads, String tenantId, Instant started) {
            this.reads = reads;
            this.client = reads.session().client();
            this.tenantId = tenantId;
            this.started = started;
        }

        TenantScan execute() {
            List<ConditionalAccessPolicy> policies;
            try {
                policies = readPolicies();
            } catch (ReadFailure f) {
                return failed(tenantId, started, reads.session().requestCount(),
                        (f.kind() == ReadFailure.Kind.ACCESS_DENIED ? "tenant cannot be read (consent revoked or unknown tenant): "
                                : "CA policies could not be read: ") + f.getMessage(), List.of(f.read()));
            }
            List<MfaPolicy> mfa = ExclusionResolver.mfaPolicies(policies, errors);

            List<Step<?>> first = new ArrayList<>();
            List<String> ids = new ArrayList<>(ExclusionResolver.idsToLookUp(mfa));
            for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL));
                first.add(new Step<>("getByIds#" + (i / IDS_PER_CALL + 1), () -> getByIds(chunk),
                        GetByIdsPostResponse::createFromDiscriminatorValue));
            }
            for (String g : ExclusionResolver.groups(mfa)) {
                first.add(membersStep(g));
            }
            for (String role : ExclusionResolver.roles(mfa)) {
                first.add(new Step<>("roleAssignments:" + role, () -> client.roleManagement().directory().roleAssignments()
                        .toGetRequestInformation(rc -> {
                            rc.queryParameters.filter = "roleDefinitionId eq '" + role.replace("'", "''") + "'";
                            rc.queryParameters.expand = new String[] {"principal"};
                        }), UnifiedRoleAssignmentCollectionResponse::createFromDiscriminatorValue));
            }
            List<String> appIds = ExclusionResolver.appIds(mfa).stream().filter(Ids::isGuid).toList();
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
            List<Step<?>> round = first;
            while (!round.isEmpty()) {
                Map<String, Result<?>> results = reads.batch(round);
                results.forEach(this::absorb);
                round = nestedGroupSteps();
            }
            settleMissingGroups();
            if (ExclusionResolver.needsLocations(mfa)) {
                readLocations();
            }
            List<Detection> detections = ExclusionResolver.resolve(mfa, dir);
            ScanStatus status = status(failedReads, errors);
            return new TenantScan(tenantId, status, detections, reads.session().requestCount(), error(status, errors),
                    failedReads, mfa.size(), started, clock.instant());
        }

        private List<ConditionalAccessPolicy> readPolicies() {
            List<ConditionalAccessPolicy> all = new ArrayList<>();
            ConditionalAccessPolicyCollectionResponse page = reads.call("conditionalAccess/policies", true,
                    () -> client.identity().conditionalAccess().policies().get(rc -> {
                        rc.queryParameters.select = POLICY_SELECT;
                        settings.policyPageSize().ifPresent(top -> rc.queryParameters.top = top);
                    }));
            while (true) {
                if (page.getValue() == null) {
                    throw new ReadFailure("conditionalAccess/policies", ReadFailure.Kind.TRANSIENT, 0,
                            "malformed answer: no value");
                }
                all.addAll(page.getValue());
                String next = page.getOdataNextLink();
                if (next == null) {
                    return all;
                }
                page = reads.call("conditionalAccess/policies (next page)", true,
                        () -> client.identity().conditionalAccess().policies().withUrl(next).get());
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

        /** Groups seen as nested members or role holders whose own members are not read yet. */
        private List<Step<?>> nestedGroupSteps() {
            Set<String> wanted = new LinkedHashSet<>();
            for (List<DirObject> members : dir.transitiveMembers.values()) {
                members.stream().filter(m -> m.kind() == DirObject.Kind.GROUP).forEach(m -> wanted.add(m.id()));
            }
            for (List<DirObject> holders : dir.roleHolders.values()) {
                holders.stream().filter(m -> m.kind() == DirObject.Kind.GROUP).forEach(m -> wanted.add(m.id()));
            }
            List<Step<?>> steps = new ArrayList<>();
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
                        }
                    }
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
                        }
                    }
                    dir.transitiveMembers.put(group, members);
                } else if (value instanceof UnifiedRoleAssignmentCollectionResponse r) {
                    String role = name.substring("roleAssignments:".length());
                    List<UnifiedRoleAssignment> all = pages(name, r, UnifiedRoleAssignmentCollectionResponse::getValue,
                            UnifiedRoleAssignmentCollectionResponse::getOdataNextLink,
                            UnifiedRoleAssignmentCollectionResponse::createFromDiscriminatorValue);
                    List<DirObject> holders = new ArrayList<>();
                    Set<String> seen = new LinkedHashSet<>();
                    for (UnifiedRoleAssignment a : all) {
                        if (!"/".equals(a.getDirectoryScopeId()) || a.getRoleDefinitionId() == null
                                || !a.getRoleDefinitionId().equalsIgnoreCase(role)) {
                            continue; // administrative-unit scoped assignments do not count for CA
                        }
                        DirObject d = DirObject.of(a.getPrincipal());
                        if (d == null && a.getPrincipalId() != null) {
                            d = new DirObject(a.getPrincipalId(), DirObject.Kind.OTHER, null, null, null, null, null);
                        }
                        if (d != null && seen.add(d.id())) {
                            holders.add(d);
                            dir.objects.putIfAbsent(d.id(), d);
                        }
                    }
                    dir.roleHolders.put(role, holders);
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
                        dir.locations.put(l.getId().toLowerCase(Locale.ROOT), new NamedLoc(l.getId(), l.getDisplayName(), trusted));
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

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
