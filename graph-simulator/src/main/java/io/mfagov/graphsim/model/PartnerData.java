package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.internal.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a partner (MSP) tenant sees of its customers, in Graph's shapes: {@code contract} objects (GET /contracts; the
 * display name and default domain are copies made when the partnership began, never updated), GDAP
 * {@code delegatedAdminCustomer} and {@code delegatedAdminRelationship} objects (GET /tenantRelationships/…), whose
 * status changes over time (active → expired/terminated).
 */
public final class PartnerData {

    /** delegatedAdminRelationshipStatus members (v1.0). */
    public static final Set<String> RELATIONSHIP_STATUSES = Set.of("activating", "active", "approvalPending", "approved",
            "created", "expired", "expiring", "terminated", "terminating", "terminationRequested", "unknownFutureValue");
    public static final Set<String> CONTRACT_TYPES = Set.of("SyndicationPartner", "BreadthPartner", "ResellerPartner");

    private final String partnerTenantId;
    private final List<ObjectNode> contracts;
    private final List<ObjectNode> customers;
    private final Map<String, ObjectNode> relationships = new LinkedHashMap<>();

    private PartnerData(String partnerTenantId, List<ObjectNode> contracts, List<ObjectNode> customers, List<ObjectNode> relationships) {
        this.partnerTenantId = partnerTenantId;
        this.contracts = contracts;
        this.customers = customers;
        relationships.forEach(r -> this.relationships.put(r.get("id").asText().toLowerCase(Locale.ROOT), r));
    }

    /** Validates and completes a fixture's partner section; relative times ("-400d", "+20d") resolve against {@code now}. */
    public static PartnerData fromFixture(String partnerTenantId, TenantFixture.PartnerFixture f, Instant now) {
        String where = "tenant " + partnerTenantId + " partner: ";
        List<ObjectNode> contracts = new ArrayList<>();
        for (ObjectNode c : f.contracts) {
            ObjectNode n = Json.obj();
            String customerId = text(c, "customerId", where + "contract customerId");
            n.put("id", c.hasNonNull("id") ? c.get("id").asText() : UUID.nameUUIDFromBytes(("contract/" + partnerTenantId + "/" + customerId)
                    .getBytes(StandardCharsets.UTF_8)).toString());
            n.putNull("deletedDateTime");
            String type = c.hasNonNull("contractType") ? c.get("contractType").asText() : "ResellerPartner";
            if (!CONTRACT_TYPES.contains(type)) {
                throw new IllegalArgumentException(where + "contractType must be one of " + CONTRACT_TYPES + ", was " + type);
            }
            n.put("contractType", type);
            n.put("customerId", customerId);
            n.put("defaultDomainName", c.path("defaultDomainName").asText(null));
            n.put("displayName", c.path("displayName").asText(null));
            contracts.add(n);
        }
        List<ObjectNode> relationships = new ArrayList<>();
        for (ObjectNode r : f.delegatedAdminRelationships) {
            relationships.add(relationship(partnerTenantId, r, now, where));
        }
        List<ObjectNode> customers = new ArrayList<>();
        if (f.delegatedAdminCustomers != null) {
            for (ObjectNode c : f.delegatedAdminCustomers) {
                String tid = text(c, "tenantId", where + "delegatedAdminCustomer tenantId");
                customers.add(customer(tid, c.path("displayName").asText(null)));
            }
        } else {
            // as Graph: one customer per tenant the partner has a GDAP relationship with
            Map<String, ObjectNode> byTenant = new LinkedHashMap<>();
            for (ObjectNode r : relationships) {
                String tid = r.at("/customer/tenantId").asText();
                byTenant.putIfAbsent(tid.toLowerCase(Locale.ROOT), customer(tid, r.at("/customer/displayName").asText(null)));
            }
            customers.addAll(byTenant.values());
        }
        return new PartnerData(partnerTenantId, contracts, customers, relationships);
    }

    private static ObjectNode customer(String tenantId, String displayName) {
        ObjectNode n = Json.obj();
        n.put("@odata.type", "#microsoft.graph.delegatedAdminCustomer");
        n.put("@odata.etag", etag(tenantId + "/" + displayName));
        n.put("id", tenantId);
        n.put("tenantId", tenantId);
        n.put("displayName", displayName);
        return n;
    }

    private static ObjectNode relationship(String partner, ObjectNode r, Instant now, String where) {
        String id = text(r, "id", where + "delegatedAdminRelationship id");
        JsonNode customer = r.get("customer");
        if (customer == null || !customer.hasNonNull("tenantId")) {
            throw new IllegalArgumentException(where + "delegatedAdminRelationship " + id + " needs customer.tenantId");
        }
        String status = r.hasNonNull("status") ? r.get("status").asText() : "active";
        if (!RELATIONSHIP_STATUSES.contains(status)) {
            throw new IllegalArgumentException(where + "relationship " + id + ": status must be one of " + RELATIONSHIP_STATUSES);
        }
        String duration = r.hasNonNull("duration") ? r.get("duration").asText() : "P730D";
        String auto = r.hasNonNull("autoExtendDuration") ? r.get("autoExtendDuration").asText() : "PT0S";
        Instant created = time(r, "createdDateTime", now.minus(Duration.ofDays(30)), now);
        Instant activated = r.has("activatedDateTime") && r.get("activatedDateTime").isNull() ? null
                : time(r, "activatedDateTime", created.plus(Duration.ofMinutes(3)), now);
        Instant end = r.has("endDateTime") && r.get("endDateTime").isNull() ? null
                : time(r, "endDateTime", activated == null ? null : activated.plus(days(duration)), now);
        Instant modified = time(r, "lastModifiedDateTime", activated != null ? activated : created, now);
        ObjectNode n = Json.obj();
        n.put("@odata.type", "#microsoft.graph.delegatedAdminRelationship");
        n.put("@odata.etag", etag(id + "/" + status + "/" + modified));
        n.put("id", id);
        n.put("displayName", r.hasNonNull("displayName") ? r.get("displayName").asText() : "GDAP " + id.substring(0, Math.min(8, id.length())));
        n.put("duration", duration);
        ObjectNode c = n.putObject("customer");
        c.put("tenantId", customer.get("tenantId").asText());
        c.put("displayName", customer.path("displayName").asText(null));
        ObjectNode access = n.putObject("accessDetails");
        ArrayNode roles = access.putArray("unifiedRoles");
        JsonNode given = r.at("/accessDetails/unifiedRoles");
        if (given.isArray() && !given.isEmpty()) {
            given.forEach(x -> roles.addObject().put("roleDefinitionId", x.path("roleDefinitionId").asText()));
        } else {
            // Security Reader, Global Reader: what an MSP's read-only scanning needs
            roles.addObject().put("roleDefinitionId", "5d6b6bb7-de71-4623-b4af-96380a352509");
            roles.addObject().put("roleDefinitionId", "f2ef992c-3afb-46b9-b7cf-a126ee74c451");
        }
        n.put("status", status);
        n.put("autoExtendDuration", auto);
        n.put("createdDateTime", graphTime(created));
        n.put("lastModifiedDateTime", graphTime(modified));
        putTime(n, "activatedDateTime", activated);
        putTime(n, "endDateTime", end);
        return n;
    }

    private static final Pattern DAYS = Pattern.compile("P(\\d+)D");

    private static Duration days(String iso) {
        Matcher m = DAYS.matcher(iso);
        if (m.matches()) {
            return Duration.ofDays(Long.parseLong(m.group(1)));
        }
        try {
            return Duration.parse(iso);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("duration '" + iso + "' is not an ISO-8601 duration such as P730D");
        }
    }

    private static Instant time(ObjectNode o, String field, Instant dflt, Instant now) {
        return o.hasNonNull(field) ? Tenant.fixtureTime(o.get(field).asText(), now) : dflt;
    }

    private static void putTime(ObjectNode n, String field, Instant t) {
        if (t == null) {
            n.putNull(field);
        } else {
            n.put(field, graphTime(t));
        }
    }

    /** Graph's DateTimeOffset rendering with 7 fractional digits, as in Microsoft's examples. */
    static String graphTime(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC).format(t);
    }

    private static String etag(String seed) {
        return "W/\"" + Base64.getEncoder().encodeToString(("\"" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)) + "\"")
                .getBytes(StandardCharsets.UTF_8)) + "\"";
    }

    private static String text(ObjectNode o, String field, String what) {
        if (!o.hasNonNull(field) || o.get(field).asText().isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        return o.get(field).asText();
    }

    public String partnerTenantId() {
        return partnerTenantId;
    }

    /** Copies, in fixture order. */
    public List<ObjectNode> contracts() {
        return contracts.stream().map(ObjectNode::deepCopy).toList();
    }

    public List<ObjectNode> delegatedAdminCustomers() {
        return customers.stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> delegatedAdminRelationships() {
        return relationships.values().stream().map(ObjectNode::deepCopy).toList();
    }

    /** A relationship (copy) or null. */
    public synchronized ObjectNode relationship(String id) {
        ObjectNode r = relationships.get(id.toLowerCase(Locale.ROOT));
        return r == null ? null : r.deepCopy();
    }

    /**
     * The relationship's status changes (e.g. terminated by the customer, expired): status, endDateTime (null keeps
     * the current one) and lastModifiedDateTime = {@code now}; a new etag.
     */
    public synchronized ObjectNode setRelationshipStatus(String id, String status, Instant endDateTime, Instant now) {
        ObjectNode r = relationships.get(id.toLowerCase(Locale.ROOT));
        if (r == null) {
            throw new IllegalArgumentException("partner " + partnerTenantId + ": no delegatedAdminRelationship " + id);
        }
        if (status == null || !RELATIONSHIP_STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + RELATIONSHIP_STATUSES + ", was " + status);
        }
        r.put("status", status);
        if (endDateTime != null) {
            r.put("endDateTime", graphTime(endDateTime));
        }
        r.put("lastModifiedDateTime", graphTime(now));
        r.put("@odata.etag", etag(id + "/" + status + "/" + now));
        return r.deepCopy();
    }
}
