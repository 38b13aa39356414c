package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DelegatedRelationship;
import io.mfagov.model.events.DiscoveryCompleted;
import io.mfagov.model.events.DiscoveryRequested;
import io.mfagov.model.events.NameSource;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.scanner.graph.AccessCheck;
import io.mfagov.scanner.graph.AccessChecker;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.graph.GraphReads;
import io.mfagov.scanner.graph.GraphSession;
import io.mfagov.scanner.graph.PermissionTable;
import io.mfagov.scanner.graph.ReadFailure;
import io.mfagov.scanner.graph.Redactor;
import io.mfagov.support.ids.Ids;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Lists the customers of the MSP's own (partner) tenant and checks the app's access to each:
 * <ol>
 *   <li>the access check of the partner tenant (token, roles) — the discovery reads need {@code Directory.Read.All}
 *       (contracts) and {@code DelegatedAdminRelationship.Read.All} (GDAP); a read whose permission is missing is not
 *       attempted and the discovery is PARTIAL (FAILED when none can be made);</li>
 *   <li>{@code GET /contracts}, {@code GET /tenantRelationships/delegatedAdminCustomers} and
 *       {@code GET /tenantRelationships/delegatedAdminRelationships}, through the SDK's request builders, as raw JSON
 *       (a relationship status Graph adds later arrives as itself), every nextLink followed;</li>
 *   <li>customers united by tenant id; for each (at most {@code maxConcurrent} at once): the access check with the
 *       customer's credential set, and when a token was issued {@code GET /organization?$select=id,displayName,verifiedDomains}
 *       for the current name and default domain — a contract's name is a copy from when the partnership began.</li>
 * </ol>
 * COMPLETE only when the three partner reads were all made in full: the register treats a customer absent from a
 * COMPLETE discovery as no longer related.
 */
public final class PartnerDiscovery implements AutoCloseable {

    private static final String[] CONTRACT_SELECT = {"id", "contractType", "customerId", "defaultDomainName", "displayName"};
    private static final String[] ORGANIZATION_SELECT = {"id", "displayName", "verifiedDomains"};

    /** One discovery's answers: every customer, then the end. */
    public record Outcome(List<CustomerDiscovered> customers, DiscoveryCompleted completed) {
    }

    private final GraphClientFactory factory;
    private final AccessChecker checker;
    private final Redactor redactor;
    private final Clock clock;
    private final ExecutorService pool;

    public PartnerDiscovery(GraphClientFactory factory, Clock clock, int maxConcurrent) {
        this.factory = factory;
        this.checker = new AccessChecker(factory);
        this.redactor = factory.redactor();
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        int size = Math.max(1, maxConcurrent);
        this.pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "discovery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) pool).allowCoreThreadTimeOut(true);
    }

    public Outcome discover(DiscoveryRequested r) {
        return discover(r.tenantId(), r.requestId(), r.credentialRef(), r.customerCredentialRefs());
    }

    /** Never throws: a failure is the discovery's FAILED or PARTIAL with the reason. */
    public Outcome discover(String partner, UUID requestId, String credentialRef, Map<String, String> customerRefs) {
        UUID discoveryId = UUID.randomUUID();
        Instant started = clock.instant();
        AccessCheck access = checker.check(partner, credentialRef);
        if (access.scanBlocked() && !access.rolesKnown()) {
            return new Outcome(List.of(), new DiscoveryCompleted(discoveryId, requestId, partner, ScanStatus.FAILED,
                    started, clock.instant(), 0, 0, "partner tenant: " + access.detail(), List.of("access"),
                    access.status(), List.of()));
        }
        List<String> missing = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String key : List.of(PermissionTable.CONTRACTS, PermissionTable.GDAP_CUSTOMERS, PermissionTable.GDAP_RELATIONSHIPS)) {
            PermissionTable.Entry e = PermissionTable.discovery(key);
            if (access.rolesKnown() && !e.allowedBy(access.granted())) {
                skipped.add(key);
                if (!missing.contains(e.toGrant())) {
                    missing.add(e.toGrant());
                }
            }
        }
        // the partner tenant is judged by what discovery needs there, not by the scan's table (it is rarely scanned)
        AccessStatus partnerStatus = !missing.isEmpty() ? AccessStatus.MISSING_PERMISSIONS
                : access.rolesKnown() ? AccessStatus.OK : access.status();
        List<String> failedReads = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            errors.add("the app lacks " + String.join(", ", missing) + " in the partner tenant " + partner + ": "
                    + String.join(", ", skipped) + " not read; grant these application permissions (admin consent"
                    + (access.consentUrl() == null ? "" : ": " + access.consentUrl()) + ")");
        }
        if (skipped.size() == 3) {
            return new Outcome(List.of(), new DiscoveryCompleted(discoveryId, requestId, partner, ScanStatus.FAILED,
                    started, clock.instant(), 0, 0, String.join("; ", errors), skipped, partnerStatus, missing));
        }
        GraphSession session;
        try {
            session = factory.open(partner, credentialRef);
        } catch (GraphClientFactory.MissingCredentialsException e) {
            return new Outcome(List.of(), new DiscoveryCompleted(discoveryId, requestId, partner, ScanStatus.FAILED,
                    started, clock.instant(), 0, 0, redactor.clean(e.getMessage()), List.of("credentials"),
                    AccessStatus.NO_CREDENTIALS, List.of()));
        }
        GraphReads reads = new GraphReads(session, factory.settings(), redactor);
        GraphServiceClient client = session.client();
        Map<String, Customer> customers = new LinkedHashMap<>();
        Consumer<ReadFailure> fail = f -> {
            failedReads.add(f.read());
            errors.add(f.getMessage());
        };
        if (!skipped.contains(PermissionTable.CONTRACTS)) {
            list(reads, PermissionTable.CONTRACTS, () -> client.contracts().toGetRequestInformation(
                    rc -> rc.queryParameters.select = CONTRACT_SELECT), fail, c -> {
                String tid = c.path("customerId").asText(null);
                if (Ids.isGuid(tid)) {
                    Customer k = customers.computeIfAbsent(tid.toLowerCase(Locale.ROOT), t -> new Customer(tid));
                    k.contractName = text(c, "displayName");
                    k.contractType = text(c, "contractType");
                    k.contractDomain = text(c, "defaultDomainName");
                }
            });
        }
        if (!skipped.contains(PermissionTable.GDAP_CUSTOMERS)) {
            list(reads, PermissionTable.GDAP_CUSTOMERS, () -> client.tenantRelationships().delegatedAdminCustomers()
                    .toGetRequestInformation(rc -> rc.queryParameters.select = new String[] {"id", "tenantId", "displayName"}),
                    fail, c -> {
                        String tid = c.hasNonNull("tenantId") ? c.get("tenantId").asText() : c.path("id").asText(null);
                        if (Ids.isGuid(tid)) {
                            Customer k = customers.computeIfAbsent(tid.toLowerCase(Locale.ROOT), t -> new Customer(tid));
                            k.gdapName = text(c, "displayName");
                        }
                    });
        }
        if (!skipped.contains(PermissionTable.GDAP_RELATIONSHIPS)) {
            list(reads, PermissionTable.GDAP_RELATIONSHIPS, () -> client.tenantRelationships()
                    .delegatedAdminRelationships().toGetRequestInformation(), fail, rel -> {
                JsonNode customer = rel.path("customer");
                String tid = text(customer, "tenantId");
                DelegatedRelationship parsed = relationship(rel);
                if (Ids.isGuid(tid) && parsed != null) {
                    Customer k = customers.computeIfAbsent(tid.toLowerCase(Locale.ROOT), t -> new Customer(tid));
                    if (k.gdapName == null) {
                        k.gdapName = text(customer, "displayName");
                    }
                    k.relationships.add(parsed);
                }
            });
        }
        int partnerReads = (int) (3 - skipped.size());
        ScanStatus status = failedReads.isEmpty() && skipped.isEmpty() ? ScanStatus.COMPLETE
                : failedReads.size() + skipped.size() >= 3 && customers.isEmpty() ? ScanStatus.FAILED : ScanStatus.PARTIAL;
        AtomicInteger requests = new AtomicInteger(session.requestCount());
        List<CompletableFuture<CustomerDiscovered>> futures = new ArrayList<>();
        for (Customer c : customers.values()) {
            String ref = refFor(customerRefs, c.tenantId, credentialRef);
            futures.add(CompletableFuture.supplyAsync(() -> customer(discoveryId, requestId, partner, c, ref, requests), pool));
        }
        List<CustomerDiscovered> found = futures.stream().map(CompletableFuture::join).toList();
        String error = status == ScanStatus.COMPLETE ? null
                : errors.isEmpty() ? partnerReads + " of 3 partner reads made" : truncate(String.join("; ", errors));
        List<String> notRead = new ArrayList<>(skipped);
        notRead.addAll(failedReads);
        return new Outcome(found, new DiscoveryCompleted(discoveryId, requestId, partner, status, started, clock.instant(),
                found.size(), requests.get(), error, notRead, partnerStatus, missing));
    }

    private static String refFor(Map<String, String> refs, String tenantId, String fallback) {
        if (refs == null) {
            return fallback;
        }
        for (Map.Entry<String, String> e : refs.entrySet()) {
            if (e.getKey().equalsIgnoreCase(tenantId)) {
                return e.getValue();
            }
        }
        return fallback;
    }

    /** One customer: its access check, then its own name when a token was issued. Never throws. */
    private CustomerDiscovered customer(UUID discoveryId, UUID requestId, String partner, Customer c, String ref,
                                        AtomicInteger requests) {
        AccessCheck access = checker.check(c.tenantId, ref);
        String name = c.gdapName != null ? c.gdapName : c.contractName;
        NameSource source = c.gdapName != null ? NameSource.DELEGATED_ADMIN_CUSTOMER
                : c.contractName != null ? NameSource.CONTRACT : NameSource.UNKNOWN;
        String domain = c.contractDomain;
        boolean tokenIssued = access.rolesKnown() || access.status() == AccessStatus.UNCHECKED;
        boolean mayRead = !access.rolesKnown() || PermissionTable.discovery(PermissionTable.ORGANIZATION).allowedBy(access.granted());
        if (tokenIssued && mayRead) {
            try {
                GraphSession s = factory.open(c.tenantId, ref);
                try {
                    JsonNode page = new GraphReads(s, factory.settings(), redactor).json(PermissionTable.ORGANIZATION, false,
                            () -> s.client().organization().toGetRequestInformation(
                                    rc -> rc.queryParameters.select = ORGANIZATION_SELECT));
                    JsonNode org = page.path("value").path(0);
                    if (text(org, "displayName") != null) {
                        name = text(org, "displayName");
                        source = NameSource.ORGANIZATION;
                    }
                    for (JsonNode d : org.path("verifiedDomains")) {
                        if (d.path("isDefault").asBoolean(false) && text(d, "name") != null) {
                            domain = text(d, "name");
                        }
                    }
                } finally {
                    requests.addAndGet(s.requestCount());
                }
            } catch (RuntimeException e) {
                // the name falls back to the GDAP customer's or the contract's; the access status says why if it matters
            }
        }
        return new CustomerDiscovered(discoveryId, requestId, partner, c.tenantId, name, source, domain, c.contractType,
                c.relationships, access.status(), access.consentUrl(), access.missingPermissions(), clock.instant());
    }

    /** A paged listing as raw JSON, each item to {@code each}; a failure is recorded and the listing stops. */
    private static void list(GraphReads reads, String name, Supplier<RequestInformation> first, Consumer<ReadFailure> fail,
                             Consumer<JsonNode> each) {
        try {
            JsonNode page = reads.json(name, false, first);
            int n = 1;
            while (true) {
                JsonNode value = page.get("value");
                if (value == null || !value.isArray()) {
                    throw new ReadFailure(name, ReadFailure.Kind.TRANSIENT, 0, "malformed answer: no value (page " + n + ")");
                }
                value.forEach(each);
                JsonNode next = page.get("@odata.nextLink");
                if (next == null || !next.isTextual()) {
                    return;
                }
                n++;
                String url = next.asText();
                page = reads.json(name + " (page " + n + ")", false, () -> GraphReads.get(url));
            }
        } catch (ReadFailure f) {
            fail.accept(f);
        }
    }

    /** A GDAP relationship as Graph's {@code delegatedAdminRelationship} gives it; null without id or status. */
    static DelegatedRelationship relationship(JsonNode r) {
        String id = text(r, "id");
        String status = text(r, "status");
        if (id == null || status == null) {
            return null;
        }
        List<String> roles = new ArrayList<>();
        for (JsonNode role : r.path("accessDetails").path("unifiedRoles")) {
            String roleId = text(role, "roleDefinitionId");
            if (roleId != null) {
                roles.add(roleId);
            }
        }
        return new DelegatedRelationship(id, text(r, "displayName"), status, instant(r, "createdDateTime"),
                instant(r, "activatedDateTime"), instant(r, "endDateTime"), text(r, "autoExtendDuration"), roles);
    }

    private static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(s);
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** What the partner reads say of one customer. */
    private static final class Customer {
        final String tenantId;
        String contractName;
        String contractType;
        String contractDomain;
        String gdapName;
        final List<DelegatedRelationship> relationships = new ArrayList<>();

        Customer(String tenantId) {
            this.tenantId = tenantId;
        }
    }
}
