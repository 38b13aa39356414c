package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.SimClock;
import io.mfagov.graphsim.model.AuthenticationStrengths;
import io.mfagov.graphsim.model.DirectoryObject;
import io.mfagov.graphsim.model.EvolvableEnums;
import io.mfagov.graphsim.model.Group;
import io.mfagov.graphsim.model.GroupEligibility;
import io.mfagov.graphsim.model.RoleEligibility;
import io.mfagov.graphsim.model.RoleAssignment;
import io.mfagov.graphsim.model.ServicePrincipal;
import io.mfagov.graphsim.model.SignInLog;
import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.User;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Graph endpoints: routing, query options, paging and rendering. Limits and faults are applied by {@link Engine}. */
public final class GraphApi {

    /** Thrown by handlers for a Graph error answer. */
    public static final class GraphError extends RuntimeException {
        public final int status;
        public final String code;

        public GraphError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    @FunctionalInterface
    interface Handler {
        GraphResponse handle(GraphRequest r, Matcher m);
    }

    /** A route: method + path pattern → endpoint key, limit bucket and handler. */
    public record Route(String method, Pattern pattern, String key, Limits.Bucket bucket, int baseCost, Handler handler) {
    }

    /** Resolution of a request to a route. */
    public record Resolved(Route route, Matcher matcher, boolean methodNotAllowed) {
        public String key() {
            return route == null ? "unknown" : route.key();
        }
    }

    private static final String GUIDISH = "([^/()]+)";
    private final List<Route> routes = new ArrayList<>();
    private final SimClock clock;

    public GraphApi(SimClock clock) {
        this.clock = clock;
        add("GET", "/organization", "organization", Limits.Bucket.DIRECTORY, 1, this::organization);
        add("GET", "/organization/" + GUIDISH, "organizationById", Limits.Bucket.DIRECTORY, 1, this::organizationById);
        add("GET", "/contracts", "contracts", Limits.Bucket.DIRECTORY, 1, this::contracts);
        add("GET", "/contracts/" + GUIDISH, "contract", Limits.Bucket.DIRECTORY, 1, this::contract);
        add("GET", "/tenantRelationships/delegatedAdminCustomers", "delegatedAdminCustomers", Limits.Bucket.DIRECTORY, 1,
                this::delegatedAdminCustomers);
        add("GET", "/tenantRelationships/delegatedAdminRelationships", "delegatedAdminRelationships", Limits.Bucket.DIRECTORY, 1,
                this::delegatedAdminRelationships);
        add("GET", "/tenantRelationships/delegatedAdminRelationships/" + GUIDISH, "delegatedAdminRelationship",
                Limits.Bucket.DIRECTORY, 1, this::delegatedAdminRelationship);
        add("GET", "/identity/conditionalAccess/policies", "caPolicies", Limits.Bucket.CA, 0, this::policies);
        add("GET", "/identity/conditionalAccess/policies/" + GUIDISH, "caPolicy", Limits.Bucket.CA, 0, this::policy);
        add("PATCH", "/identity/conditionalAccess/policies/" + GUIDISH, "caPolicyPatch", Limits.Bucket.CA, 0, this::patchPolicy);
        add("GET", "/identity/conditionalAccess/namedLocations", "namedLocations", Limits.Bucket.CA, 0, this::namedLocations);
        add("GET", "/identity/conditionalAccess/namedLocations/" + GUIDISH, "namedLocation", Limits.Bucket.CA, 0, this::namedLocation);
        add("GET", "/policies/identitySecurityDefaultsEnforcementPolicy", "securityDefaults", Limits.Bucket.DIRECTORY, 1, this::securityDefaults);
        add("GET", "/policies/authenticationStrengthPolicies", "authenticationStrengthPolicies", Limits.Bucket.DIRECTORY, 1,
                this::authenticationStrengths);
        add("GET", "/policies/authenticationStrengthPolicies/" + GUIDISH, "authenticationStrengthPolicy", Limits.Bucket.DIRECTORY, 1,
                this::authenticationStrength);
        add("POST", "/directoryObjects/getByIds", "getByIds", Limits.Bucket.DIRECTORY, 5, this::getByIds);
        add("GET", "/users", "users", Limits.Bucket.DIRECTORY, 2, this::users);
        add("GET", "/users/" + GUIDISH, "user", Limits.Bucket.DIRECTORY, 1, this::user);
        add("GET", "/users/" + GUIDISH + "/authentication/methods", "authMethods", Limits.Bucket.REPORTS, 0, this::authMethods);
        add("GET", "/users/" + GUIDISH + "/authentication/requirements", "perUserMfa", Limits.Bucket.REPORTS, 0, this::perUserMfa);
        add("GET", "/groups/" + GUIDISH, "group", Limits.Bucket.DIRECTORY, 1, this::group);
        add("GET", "/groups/" + GUIDISH + "/members/" + GUIDISH, "groupMember", Limits.Bucket.DIRECTORY, 1, this::groupMember);
        add("DELETE", "/groups/" + GUIDISH + "/members/" + GUIDISH + "/\\$ref", "groupMemberRemove", Limits.Bucket.DIRECTORY, 1,
                this::removeGroupMember);
        add("POST", "/groups/" + GUIDISH + "/members/\\$ref", "groupMemberAdd", Limits.Bucket.DIRECTORY, 1, this::addGroupMember);
        add("GET", "/groups/" + GUIDISH + "/transitiveMembers", "transitiveMembers", Limits.Bucket.DIRECTORY, 5,
                (r, m) -> transitiveMembers(r, m, null));
        add("GET", "/groups/" + GUIDISH + "/transitiveMembers/microsoft\\.graph\\.user", "transitiveMembers.user",
                Limits.Bucket.DIRECTORY, 5, (r, m) -> transitiveMembers(r, m, "user"));
        add("GET", "/groups/" + GUIDISH + "/transitiveMembers/microsoft\\.graph\\.group", "transitiveMembers.group",
                Limits.Bucket.DIRECTORY, 5, (r, m) -> transitiveMembers(r, m, "group"));
        add("GET", "/groups/" + GUIDISH + "/transitiveMembers/microsoft\\.graph\\.servicePrincipal", "transitiveMembers.servicePrincipal",
                Limits.Bucket.DIRECTORY, 5, (r, m) -> transitiveMembers(r, m, "servicePrincipal"));
        add("GET", "/roleManagement/directory/roleAssignments", "roleAssignments", Limits.Bucket.DIRECTORY, 1, this::roleAssignments);
        add("GET", "/roleManagement/directory/roleEligibilityScheduleInstances", "roleEligibilityScheduleInstances",
                Limits.Bucket.DIRECTORY, 1, this::roleEligibilities);
        add("GET", "/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances", "groupEligibilityScheduleInstances",
                Limits.Bucket.DIRECTORY, 1, this::groupEligibilities);
        add("GET", "/directoryRoles\\(roleTemplateId='([^']+)'\\)/members", "directoryRoleMembers", Limits.Bucket.DIRECTORY, 1,
                this::directoryRoleMembers);
        add("GET", "/directoryRoles/roleTemplateId=([^/]+)/members", "directoryRoleMembers", Limits.Bucket.DIRECTORY, 1,
                this::directoryRoleMembers);
        add("GET", "/servicePrincipals", "servicePrincipals", Limits.Bucket.DIRECTORY, 1, this::servicePrincipals);
        add("GET", "/servicePrincipals/" + GUIDISH, "servicePrincipal", Limits.Bucket.DIRECTORY, 1, this::servicePrincipal);
        add("GET", "/reports/authenticationMethods/userRegistrationDetails", "userRegistrationDetails", Limits.Bucket.REPORTS, 0,
                this::registrationDetails);
        add("GET", "/reports/authenticationMethods/userRegistrationDetails/" + GUIDISH, "userRegistrationDetail",
                Limits.Bucket.REPORTS, 0, this::registrationDetail);
        add("GET", "/auditLogs/signIns", "signIns", Limits.Bucket.REPORTS, 0, this::signIns);
        add("POST", "/\\$batch", "batch", Limits.Bucket.NONE, 0, null);
    }

    private void add(String method, String regex, String key, Limits.Bucket bucket, int cost, Handler h) {
        routes.add(new Route(method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), key, bucket, cost, h));
    }

    public Resolved resolve(String method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        boolean pathKnown = false;
        for (Route rt : routes) {
            Matcher m = rt.pattern().matcher(p);
            if (m.matches()) {
                if (rt.method().equalsIgnoreCase(method)) {
                    return new Resolved(rt, m, false);
                }
                pathKnown = true;
            }
        }
        return new Resolved(null, null, pathKnown);
    }

    /** Signin key differs per version (beta has authenticationRequirement). */
    public static String accountingKey(Resolved res, GraphRequest r) {
        if ("signIns".equals(res.key()) && r.beta()) {
            return "signIns.beta";
        }
        return res.key();
    }

    /** Resource units a directory request costs (Graph's identity limits: base, $select −1, $expand +1, $top&lt;20 −1). */
    public static int cost(Route rt, GraphRequest r) {
        if (rt.bucket() != Limits.Bucket.DIRECTORY) {
            return 1;
        }
        if (rt.key().equals("getByIds")) {
            return r.q("$select") != null ? 2 : 5;
        }
        int c = rt.baseCost();
        if (r.q("$select") != null) {
            c--;
        }
        if (r.q("$expand") != null) {
            c++;
        }
        String top = r.q("$top");
        if (top != null) {
            try {
                if (Integer.parseInt(top.trim()) < 20) {
                    c--;
                }
            } catch (NumberFormatException e) {
                // reported by the handler
            }
        }
        return Math.max(1, c);
    }

    public GraphResponse handle(Resolved res, GraphRequest r) {
        try {
            return res.route().handler().handle(r, res.matcher());
        } catch (GraphError e) {
            return GraphResponse.error(e.status, e.code, e.getMessage(), r, clock.now());
        } catch (ODataFilter.FilterException e) {
            return GraphResponse.error(400, e.code, e.getMessage(), r, clock.now());
        }
    }

    // ---- endpoints -------------------------------------------------------------------------------------------

    /** Application permissions that allow reading the organization (any one of them). */
    static final List<String> ORGANIZATION_READ = List.of("Organization.Read.All", "Directory.Read.All",
            "Organization.ReadWrite.All", "Directory.ReadWrite.All");
    static final List<String> CONTRACTS_READ = List.of("Directory.Read.All", "Directory.ReadWrite.All");
    static final List<String> GDAP_READ = List.of("DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All");

    /** As Graph's directory endpoints: 403 Authorization_RequestDenied when the token holds none of the permissions. */
    private static void requireAnyRole(GraphRequest r, List<String> anyOf) {
        for (String p : anyOf) {
            if (r.hasRole(p)) {
                return;
            }
        }
        throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }

    private GraphResponse organizationById(GraphRequest r, Matcher m) {
        requireAnyRole(r, ORGANIZATION_READ);
        Tenant t = r.tenant;
        if (!t.id().equalsIgnoreCase(m.group(1))) {
            throw notFound(m.group(1));
        }
        ObjectNode org = Render.organization(t);
        List<String> select = select(r, org);
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#organization/$entity");
        out.setAll(select == null ? org : Render.project(org, select, false));
        return GraphResponse.json(200, out);
    }

    private GraphResponse contracts(GraphRequest r, Matcher m) {
        requireAnyRole(r, CONTRACTS_READ);
        List<ObjectNode> all = r.tenant.partner() == null ? List.of() : r.tenant.partner().contracts();
        return listOf(r, "contracts", all, "microsoft.graph.contract", 100, 999, false);
    }

    private GraphResponse contract(GraphRequest r, Matcher m) {
        requireAnyRole(r, CONTRACTS_READ);
        String id = m.group(1);
        if (r.tenant.partner() != null) {
            for (ObjectNode c : r.tenant.partner().contracts()) {
                if (c.get("id").asText().equalsIgnoreCase(id)) {
                    List<String> select = select(r, c);
                    ObjectNode out = Json.obj();
                    out.put("@odata.context", r.serviceRoot() + "/$metadata#contracts/$entity");
                    out.setAll(select == null ? c : Render.project(c, select, false));
                    return GraphResponse.json(200, out);
                }
            }
        }
        throw notFound(id);
    }

    private GraphResponse delegatedAdminCustomers(GraphRequest r, Matcher m) {
        requireAnyRole(r, GDAP_READ);
        List<ObjectNode> all = r.tenant.partner() == null ? List.of() : r.tenant.partner().delegatedAdminCustomers();
        return listOf(r, "tenantRelationships/delegatedAdminCustomers", all, "microsoft.graph.delegatedAdminCustomer", 100, 300, true);
    }

    private GraphResponse delegatedAdminRelationships(GraphRequest r, Matcher m) {
        requireAnyRole(r, GDAP_READ);
        List<ObjectNode> all = r.tenant.partner() == null ? List.of() : r.tenant.partner().delegatedAdminRelationships();
        return listOf(r, "tenantRelationships/delegatedAdminRelationships", all, "microsoft.graph.delegatedAdminRelationship",
                100, 300, true);
    }

    private GraphResponse delegatedAdminRelationship(GraphRequest r, Matcher m) {
        requireAnyRole(r, GDAP_READ);
        ObjectNode rel = r.tenant.partner() == null ? null : r.tenant.partner().relationship(m.group(1));
        if (rel == null) {
            throw notFound(m.group(1));
        }
        List<String> select = select(r, rel);
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/tenantRelationships/$metadata#delegatedAdminRelationships/$entity");
        out.setAll(select == null ? rel : Render.project(rel, select, true));
        return GraphResponse.json(200, out);
    }

    private GraphResponse organization(GraphRequest r, Matcher m) {
        requireAnyRole(r, ORGANIZATION_READ);
        Tenant t = r.tenant;
        List<String> select = select(r, Render.organization(t));
        ObjectNode org = Render.organization(t);
        return collection(r, "organization", select, List.of(select == null ? org : Render.project(org, select, false)), null, null);
    }

    /** Whether the request opted in to enum members after unknownFutureValue ({@code Prefer: include-unknown-enum-members}). */
    private static boolean unknownEnumMembers(GraphRequest r) {
        return EvolvableEnums.wanted(r.headers.get("Prefer"));
    }

    private GraphResponse policies(GraphRequest r, Matcher m) {
        Tenant t = r.tenant;
        List<Tenant.PolicyEntry> entries = t.policyEntries();
        boolean unknown = unknownEnumMembers(r);
        boolean plain = r.q("$select") == null && r.q("$filter") == null && r.q("$top") == null
                && r.q("$skiptoken") == null && r.q("$count") == null && r.q("$skip") == null;
        if (plain) {
            // fast path: concatenate the stored JSON
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + entries.size() * 2048);
            out.writeBytes(("{\"@odata.context\":\"" + r.serviceRoot() + "/$metadata#identity/conditionalAccess/policies\",\"value\":[")
                    .getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(entries.get(i).json(unknown));
            }
            out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            return new GraphResponse(200, out.toByteArray());
        }
        List<ObjectNode> all = new ArrayList<>(entries.size());
        for (Tenant.PolicyEntry e : entries) {
            all.add(Json.parseObject(e.json(unknown)));
        }
        return listOf(r, "identity/conditionalAccess/policies", all, "microsoft.graph.conditionalAccessPolicy",
                Integer.MAX_VALUE, 999, false);
    }

    private GraphResponse policy(GraphRequest r, Matcher m) {
        String id = m.group(1);
        for (Tenant.PolicyEntry e : r.tenant.policyEntries()) {
            if (e.id().equalsIgnoreCase(id)) {
                ObjectNode p = Json.parseObject(e.json(unknownEnumMembers(r)));
                List<String> select = select(r, p);
                ObjectNode out = Json.obj();
                out.put("@odata.context", r.serviceRoot() + "/$metadata#identity/conditionalAccess/policies/$entity");
                if (select == null) {
                    out.put("@microsoft.graph.tips", "Use $select to choose only the properties your app needs, as this can "
                            + "lead to performance improvements. For example: GET identity/conditionalAccess/policies('<guid>')"
                            + "?$select=conditions,createdDateTime");
                    out.setAll(p);
                } else {
                    out.setAll(Render.project(p, select, false));
                }
                return GraphResponse.json(200, out);
            }
        }
        throw notFound(id);
    }

    private GraphResponse patchPolicy(GraphRequest r, Matcher m) {
        String id = m.group(1);
        JsonNode body = parseBody(r);
        JsonNode state = body.get("state");
        if (state != null && (!state.isTextual() || !io.mfagov.graphsim.model.GraphShapes.POLICY_STATES.contains(state.asText()))) {
            throw new GraphError(400, "BadRequest", "Invalid value for property 'state'.");
        }
        // as Graph: the app needs both (application permissions, from the token's roles claim)
        for (String needed : List.of("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess")) {
            if (!r.hasRole(needed)) {
                throw new GraphError(403, "AccessDenied", "You cannot perform the requested operation, required scopes are missing "
                        + "in the token.");
            }
        }
        boolean found;
        try {
            found = r.tenant.patchPolicy(id, body, clock.now(), r.appId);
        } catch (IllegalArgumentException e) {
            throw new GraphError(400, "BadRequest", e.getMessage());
        }
        if (!found) {
            throw notFound(id);
        }
        return GraphResponse.noContent();
    }

    private static ObjectNode namedLocationFor(GraphRequest r, ObjectNode n) {
        return unknownEnumMembers(r) ? n : EvolvableEnums.knownMembersOnlyNamedLocation(n);
    }

    private GraphResponse namedLocations(GraphRequest r, Matcher m) {
        List<ObjectNode> all = new ArrayList<>(r.tenant.namedLocations().size());
        for (ObjectNode n : r.tenant.namedLocations()) {
            all.add(namedLocationFor(r, n));
        }
        return listOf(r, "identity/conditionalAccess/namedLocations", all, "microsoft.graph.namedLocation",
                Integer.MAX_VALUE, 999, true);
    }

    private GraphResponse namedLocation(GraphRequest r, Matcher m) {
        String id = m.group(1);
        for (ObjectNode stored : r.tenant.namedLocations()) {
            if (stored.path("id").asText().equalsIgnoreCase(id)) {
                ObjectNode n = namedLocationFor(r, stored);
                ObjectNode out = Json.obj();
                out.put("@odata.context", r.serviceRoot() + "/$metadata#identity/conditionalAccess/namedLocations/$entity");
                List<String> select = select(r, n);
                out.setAll(select == null ? n : Render.project(n, select, true));
                return GraphResponse.json(200, out);
            }
        }
        throw notFound(id);
    }

    private GraphResponse securityDefaults(GraphRequest r, Matcher m) {
        ObjectNode sd = Render.securityDefaults(r.tenant);
        List<String> select = select(r, sd);
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#policies/identitySecurityDefaultsEnforcementPolicy"
                + (select == null ? "" : "(" + String.join(",", select) + ")"));
        out.setAll(select == null ? sd : Render.project(sd, select, false));
        return GraphResponse.json(200, out);
    }

    private static final String STRENGTHS_CONTEXT = "policies/authenticationStrengthPolicies";

    /** A strength as GET /policies/authenticationStrengthPolicies answers it (known enum members unless opted in). */
    private static ObjectNode strength(GraphRequest r, ObjectNode s) {
        ObjectNode o = AuthenticationStrengths.render(s, "https://graph.microsoft.com/v1.0/$metadata#" + STRENGTHS_CONTEXT
                + "('" + s.path("id").asText() + "')");
        return unknownEnumMembers(r) ? o : EvolvableEnums.knownMembersOnlyStrength(o);
    }

    private GraphResponse authenticationStrengths(GraphRequest r, Matcher m) {
        List<ObjectNode> all = new ArrayList<>();
        for (ObjectNode s : r.tenant.authenticationStrengths()) {
            all.add(strength(r, s));
        }
        return listOf(r, STRENGTHS_CONTEXT, all, "microsoft.graph.authenticationStrengthPolicy", Integer.MAX_VALUE, 999, false);
    }

    private GraphResponse authenticationStrength(GraphRequest r, Matcher m) {
        String id = m.group(1);
        ObjectNode s = r.tenant.authenticationStrength(id);
        if (s == null) {
            throw notFound(id);
        }
        ObjectNode full = strength(r, s);
        List<String> select = select(r, full);
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#" + STRENGTHS_CONTEXT + "/$entity");
        out.setAll(select == null ? full : Render.project(full, select, false));
        return GraphResponse.json(200, out);
    }

    /**
     * How Graph refuses PIM reads in a tenant without Microsoft Entra ID P2 / Governance: 400
     * {@code AadPremiumLicenseRequired}. Not in Microsoft's reference pages; commonly reported, e.g.
     * CompassSecurity/EntraFalcon issue #4 ("HTTP 400 … missing Entra ID premium licence … no PIM"), the error
     * {@code unexpected status 400 with error: AadPremiumLicenseRequired: The tenant needs to have Microsoft Entra ID
     * P2 or Microsoft Entra ID Governance license.} quoted by tools listing role eligibility schedules, and
     * Microsoft365DSC's PIM exports skipping {@code [AadPremiumLicenseRequired]} errors.
     */
    private static void requirePimLicence(GraphRequest r) {
        if (!r.tenant.pimLicensed()) {
            throw new GraphError(400, "AadPremiumLicenseRequired",
                    "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.");
        }
    }

    /**
     * How Graph refuses the registration report and the sign-in logs in a tenant without Microsoft Entra ID P1/P2:
     * 403 {@code Authentication_RequestFromNonPremiumTenantOrB2CTenant} (the message widely reported for such tenants).
     */
    private static void requirePremium(GraphRequest r) {
        if (!r.tenant.premiumLicensed()) {
            throw new GraphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                    "Neither tenant is B2C or tenant doesn't have premium license");
        }
    }

    /** $expand values a PIM list accepts (comma-separated); anything else is Graph's unknown-navigation 400. */
    private static Set<String> expand(GraphRequest r, String typeName, Set<String> allowed) {
        String expand = r.q("$expand");
        if (expand == null) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (String e : expand.split(",")) {
            String name = e.trim();
            if (!allowed.contains(name)) {
                throw new GraphError(400, "BadRequest", "Could not find a navigation property named '" + name
                        + "' on type '" + typeName + "'.");
            }
            out.add(name);
        }
        return out;
    }

    private GraphResponse roleEligibilities(GraphRequest r, Matcher m) {
        requirePimLicence(r);
        boolean ep = expand(r, "microsoft.graph.unifiedRoleEligibilityScheduleInstance", Set.of("principal")).contains("principal");
        List<RoleEligibility> list = r.tenant.roleEligibilities();
        return paged(r, "roleManagement/directory/roleEligibilityScheduleInstances" + (ep ? "(principal())" : ""), list.size(),
                i -> Render.roleEligibility(list.get(i), r.tenant, ep), null,
                "microsoft.graph.unifiedRoleEligibilityScheduleInstance", 100, 999, false);
    }

    /** The docs: "This method requires the $filter (eq) query parameter to scope the request to a principalId or a groupId." */
    private static final Pattern GROUP_OR_PRINCIPAL_EQ = Pattern.compile("(?i)\\b(groupId|principalId)\\s+eq\\s+'[^']*'");

    private GraphResponse groupEligibilities(GraphRequest r, Matcher m) {
        requirePimLicence(r);
        String filter = r.q("$filter");
        if (filter == null || !GROUP_OR_PRINCIPAL_EQ.matcher(filter).find()) {
            throw new GraphError(400, "BadRequest", "The request must filter on groupId or principalId, for example "
                    + "$filter=groupId eq '{groupId}' or $filter=principalId eq '{principalId}'.");
        }
        Set<String> ex = expand(r, "microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance", Set.of("principal", "group"));
        boolean ep = ex.contains("principal");
        boolean eg = ex.contains("group");
        List<GroupEligibility> list = r.tenant.groupEligibilities();
        return paged(r, "identityGovernance/privilegedAccess/group/eligibilityScheduleInstances", list.size(),
                i -> Render.groupEligibility(list.get(i), r.tenant, ep, eg), null,
                "microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance", 100, 999, false);
    }

    private static final Set<String> DIRECTORY_TYPES = Set.of("user", "group", "serviceprincipal", "device",
            "application", "orgcontact", "directoryrole", "directoryroletemplate", "directoryobjectpartnerreference",
            "administrativeunit");

    private GraphResponse getByIds(GraphRequest r, Matcher m) {
        JsonNode body = parseBody(r);
        JsonNode ids = body.get("ids");
        if (ids == null || !ids.isArray()) {
            throw new GraphError(400, "Request_BadRequest", "Invalid request: the 'ids' parameter is required and must be an array.");
        }
        if (ids.size() > 1000) {
            throw new GraphError(400, "Request_BadRequest", "Too many ids: " + ids.size()
                    + ". A maximum of 1000 ids can be requested in a single call.");
        }
        Set<String> types = null;
        JsonNode ts = body.get("types");
        if (ts != null && !ts.isNull()) {
            if (!ts.isArray()) {
                throw new GraphError(400, "Request_BadRequest", "Invalid request: 'types' must be an array.");
            }
            types = new HashSet<>();
            for (JsonNode t : ts) {
                String tn = t.asText().toLowerCase(Locale.ROOT).replace("microsoft.graph.", "");
                if (!DIRECTORY_TYPES.contains(tn)) {
                    throw new GraphError(400, "Request_BadRequest", "Invalid type '" + t.asText() + "' specified in 'types'.");
                }
                types.add(tn);
            }
        }
        List<String> select = selectList(r);
        List<DirectoryObject> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode idn : ids) {
            String id = idn.asText();
            if (!seen.add(id)) {
                continue;
            }
            DirectoryObject o = r.tenant.object(id);
            if (o == null || (types != null && !types.contains(o.type().toLowerCase(Locale.ROOT)))) {
                continue;
            }
            found.add(o);
        }
        if (select == null) {
            // stream the default projection (no per-object trees)
            ByteArrayOutputStream out = new ByteArrayOutputStream(128 + found.size() * 400);
            try (com.fasterxml.jackson.core.JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("@odata.context", r.serviceRoot() + "/$metadata#directoryObjects");
                g.writeArrayFieldStart("value");
                for (DirectoryObject o : found) {
                    if (o instanceof User u) {
                        Render.writeUserDefault(g, u, true);
                    } else {
                        g.writeTree(Render.directoryObject(o, r.tenant, null, true));
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new GraphResponse(200, out.toByteArray());
        }
        List<ObjectNode> items = new ArrayList<>(found.size());
        for (DirectoryObject o : found) {
            items.add(Render.directoryObject(o, r.tenant, select, true));
        }
        return collection(r, "directoryObjects", select, items, null, null);
    }

    private GraphResponse users(GraphRequest r, Matcher m) {
        List<User> users = r.tenant.users();
        return paged(r, "users", users.size(), i -> Render.userFull(users.get(i)), null,
                "microsoft.graph.user", 100, 999, false, i -> Render.userDefault(users.get(i), false));
    }

    private GraphResponse user(GraphRequest r, Matcher m) {
        User u = r.tenant.user(m.group(1));
        if (u == null) {
            throw notFound(m.group(1));
        }
        ObjectNode full = Render.userFull(u);
        List<String> select = select(r, full);
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#users"
                + (select == null ? "" : "(" + String.join(",", select) + ")") + "/$entity");
        out.setAll(Render.project(full, select == null ? Render.USER_DEFAULT : select, false));
        return GraphResponse.json(200, out);
    }

    private GraphResponse authMethods(GraphRequest r, Matcher m) {
        User u = r.tenant.user(m.group(1));
        if (u == null) {
            throw notFound(m.group(1));
        }
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#users('" + u.id() + "')/authentication/methods");
        out.set("value", Render.authenticationMethods(u));
        return GraphResponse.json(200, out);
    }

    private GraphResponse group(GraphRequest r, Matcher m) {
        Group g = r.tenant.group(m.group(1));
        if (g == null) {
            throw notFound(m.group(1));
        }
        ObjectNode full = Render.groupFull(g, r.tenant);
        List<String> select = select(r, full);
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#groups/$entity");
        out.setAll(select == null ? full : Render.project(full, select, false));
        return GraphResponse.json(200, out);
    }

    /** GET /groups/{g}/members/{id}: the directory object when it is a DIRECT member, else 404 (as Graph). */
    private GraphResponse groupMember(GraphRequest r, Matcher m) {
        Group g = r.tenant.group(m.group(1));
        if (g == null) {
            throw notFound(m.group(1));
        }
        String memberId = m.group(2);
        DirectoryObject d = r.tenant.object(memberId);
        if (d == null || !g.members().contains(memberId)) {
            throw notFound(memberId);
        }
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#directoryObjects/$entity");
        out.setAll(Render.directoryObjectFull(d, r.tenant));
        return GraphResponse.json(200, out);
    }

    /** DELETE /groups/{g}/members/{id}/$ref: 204; 403 without the permissions; 400 dynamic/synced/mail-enabled; 404 not a direct member. */
    private GraphResponse removeGroupMember(GraphRequest r, Matcher m) {
        Group g = writableGroup(r, m.group(1));
        String memberId = m.group(2);
        if (!r.tenant.removeMember(g.id(), memberId, clock.now(), r.appId)) {
            throw notFound(memberId);
        }
        return GraphResponse.noContent();
    }

    /** POST /groups/{g}/members/$ref {"@odata.id": ".../directoryObjects/{id}"}: 204; 400 when already a member. */
    private GraphResponse addGroupMember(GraphRequest r, Matcher m) {
        Group g = writableGroup(r, m.group(1));
        JsonNode body = parseBody(r);
        String ref = body.path("@odata.id").asText(null);
        if (ref == null || ref.isBlank()) {
            throw new GraphError(400, "Request_BadRequest", "Invalid value specified for property '@odata.id' of resource 'Group'.");
        }
        String memberId = ref.substring(ref.lastIndexOf('/') + 1);
        if (r.tenant.object(memberId) == null) {
            throw notFound(memberId);
        }
        if (!r.tenant.addMember(g.id(), memberId, clock.now(), r.appId)) {
            throw new GraphError(400, "Request_BadRequest",
                    "One or more added object references already exist for the following modified properties: 'members'.");
        }
        return GraphResponse.noContent();
    }

    /**
     * The group for a membership write, after Graph's checks: GroupMember.ReadWrite.All (a role-assignable group also
     * RoleManagement.ReadWrite.Directory) → else 403; dynamic, on-premises-synced and mail-enabled security groups
     * refuse membership edits → 400.
     */
    private Group writableGroup(GraphRequest r, String groupId) {
        Group g = r.tenant.group(groupId);
        if (g == null) {
            throw notFound(groupId);
        }
        boolean permitted = r.hasRole("GroupMember.ReadWrite.All") || r.hasRole("Group.ReadWrite.All")
                || r.hasRole("Directory.ReadWrite.All");
        if (!permitted || (g.isAssignableToRole() && !r.hasRole("RoleManagement.ReadWrite.Directory"))) {
            throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }
        if (g.dynamic()) {
            throw new GraphError(400, "Request_BadRequest", "Cannot add or remove members of a group with dynamic membership: "
                    + "its members are computed from its membershipRule.");
        }
        if (g.synced()) {
            throw new GraphError(400, "Request_BadRequest", "Unable to update the specified properties for on-premises mastered "
                    + "Directory Sync objects or objects currently undergoing migration.");
        }
        if (g.mailEnabled() && g.securityEnabled() && !g.groupTypes().contains("Unified")) {
            throw new GraphError(400, "Request_BadRequest", "Cannot Update a mail-enabled security groups and or distribution list.");
        }
        return g;
    }

    private GraphResponse transitiveMembers(GraphRequest r, Matcher m, String cast) {
        Group g = r.tenant.group(m.group(1));
        if (g == null) {
            throw notFound(m.group(1));
        }
        List<DirectoryObject> members = r.tenant.transitiveMembersOf(g.id());
        if (cast != null) {
            List<DirectoryObject> f = new ArrayList<>();
            for (DirectoryObject d : members) {
                if (d.type().equals(cast)) {
                    f.add(d);
                }
            }
            members = f;
        }
        List<DirectoryObject> list = members;
        String context = cast == null ? "directoryObjects" : cast.equals("user") ? "users" : cast.equals("group") ? "groups" : "servicePrincipals";
        // Graph's default property set for a directory object: users get the user default set
        boolean withType = cast == null; // a cast collection's items are of the declared type: no @odata.type
        return paged(r, context, list.size(), i -> withType ? Render.directoryObjectFull(list.get(i), r.tenant)
                        : Render.full(list.get(i), r.tenant),
                null, cast == null ? "microsoft.graph.directoryObject" : "microsoft.graph." + cast, 100, 999, withType,
                i -> Render.directoryObject(list.get(i), r.tenant, null, withType));
    }

    private GraphResponse roleAssignments(GraphRequest r, Matcher m) {
        String expand = r.q("$expand");
        boolean expandPrincipal = false;
        if (expand != null) {
            if (!expand.trim().equalsIgnoreCase("principal")) {
                throw new GraphError(400, "BadRequest", "Could not find a navigation property named '" + expand
                        + "' on type 'microsoft.graph.unifiedRoleAssignment'.");
            }
            expandPrincipal = true;
        }
        List<RoleAssignment> ras = r.tenant.roleAssignments();
        boolean ep = expandPrincipal;
        String ctx = "roleManagement/directory/roleAssignments" + (ep ? "(principal())" : "");
        return paged(r, ctx, ras.size(), i -> Render.roleAssignment(ras.get(i), r.tenant, ep), null,
                "microsoft.graph.unifiedRoleAssignment", 100, 999, false);
    }

    private GraphResponse directoryRoleMembers(GraphRequest r, Matcher m) {
        String template = m.group(1);
        Set<String> principals = new LinkedHashSet<>();
        for (RoleAssignment ra : r.tenant.roleAssignments()) {
            if (ra.roleDefinitionId().equalsIgnoreCase(template) && ra.tenantWide()) {
                principals.add(ra.principalId());
            }
        }
        if (principals.isEmpty()) {
            throw notFound("roleTemplateId=" + template);
        }
        List<String> select = selectList(r);
        List<ObjectNode> out = new ArrayList<>();
        for (String p : principals) {
            DirectoryObject d = r.tenant.object(p);
            if (d != null && out.size() < 1000) {
                out.add(Render.directoryObject(d, r.tenant, select, true));
            }
        }
        return collection(r, "directoryObjects", select, out, null, null);
    }

    private GraphResponse servicePrincipals(GraphRequest r, Matcher m) {
        List<ServicePrincipal> sps = r.tenant.servicePrincipals();
        return paged(r, "servicePrincipals", sps.size(), i -> Render.servicePrincipalFull(sps.get(i)), null,
                "microsoft.graph.servicePrincipal", 100, 999, false);
    }

    private GraphResponse servicePrincipal(GraphRequest r, Matcher m) {
        String id = m.group(1);
        for (ServicePrincipal sp : r.tenant.servicePrincipals()) {
            if (sp.id().equalsIgnoreCase(id)) {
                ObjectNode full = Render.servicePrincipalFull(sp);
                List<String> select = select(r, full);
                ObjectNode out = Json.obj();
                out.put("@odata.context", r.serviceRoot() + "/$metadata#servicePrincipals/$entity");
                out.setAll(select == null ? full : Render.project(full, select, false));
                return GraphResponse.json(200, out);
            }
        }
        throw notFound(id);
    }

    private GraphResponse registrationDetails(GraphRequest r, Matcher m) {
        requirePremium(r);
        List<User> users = r.tenant.users();
        return paged(r, "reports/authenticationMethods/userRegistrationDetails", users.size(),
                i -> Render.registrationDetails(users.get(i), r.tenant), null,
                "microsoft.graph.userRegistrationDetails", 100, 999, false);
    }

    private GraphResponse registrationDetail(GraphRequest r, Matcher m) {
        requirePremium(r);
        User u = r.tenant.user(m.group(1));
        if (u == null) {
            throw notFound(m.group(1));
        }
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#reports/authenticationMethods/userRegistrationDetails/$entity");
        out.setAll(Render.registrationDetails(u, r.tenant));
        return GraphResponse.json(200, out);
    }

    private static final Pattern EVENT_TYPES = Pattern.compile("(?i)\\bsignInEventTypes\\s*/\\s*(any|all)\\b");
    /** Sign-in log retention with Microsoft Entra ID P1/P2. */
    static final java.time.Duration RETENTION = java.time.Duration.ofDays(30);

    /**
     * Sign-ins, newest first. v1.0 and beta list interactive user sign-ins only, unless a beta $filter names
     * signInEventTypes (then the filter alone decides, e.g. nonInteractiveUser or servicePrincipal). Entries older
     * than 30 days before the simulator clock are never returned. The log is newest first, so retention is a prefix.
     */
    private GraphResponse signIns(GraphRequest r, Matcher m) {
        requirePremium(r);
        SignInLog log = r.tenant.signIns();
        boolean beta = r.beta();
        String filter = r.q("$filter");
        boolean eventTypesNamed = beta && filter != null && EVENT_TYPES.matcher(filter).find();
        java.time.Instant cutoff = clock.now().minus(RETENTION);
        int lo = 0;
        int hi = log.size();
        while (lo < hi) { // first index older than the cutoff
            int mid = (lo + hi) >>> 1;
            if (java.time.Instant.parse(log.get(mid).createdDateTime()).isBefore(cutoff)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int retained = lo;
        int top = top(r, 1000, 1000);
        int offset = skipToken(r);
        List<String> select = selectList(r);
        if (select != null && log.size() > 0) {
            validateSelect(select, Render.signIn(log.get(0), r.tenant, beta), "microsoft.graph.signIn");
        }
        if (filter != null && filter.isBlank()) {
            throw new GraphError(400, "BadRequest", "Invalid filter clause: empty expression.");
        }
        int[] matches = signInMatches(r.tenant, log, beta, filter, eventTypesNamed, retained);
        int total = matches.length;
        offset = Math.min(offset, total);
        int end = (int) Math.min((long) offset + top, total);
        List<ObjectNode> page = new ArrayList<>(end - offset);
        for (int k = offset; k < end; k++) {
            ObjectNode full = Render.signIn(log.get(matches[k]), r.tenant, beta);
            page.add(select == null ? full : Render.project(full, select, false));
        }
        return collection(r, "auditLogs/signIns", select, page, end < total ? nextLink(r, end) : null, null);
    }

    /** Matches per (tenant, version, filter), computed once over the retained prefix and cut to a shorter prefix later. */
    private record MatchKey(Tenant tenant, boolean beta, String filter) {
    }

    private record Matches(int retained, int[] indexes) {
    }

    private final Map<MatchKey, Matches> matchCache = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<MatchKey, Matches> e) {
                    return size() > 64;
                }
            });

    private int[] signInMatches(Tenant t, SignInLog log, boolean beta, String filter, boolean eventTypesNamed, int retained) {
        MatchKey key = new MatchKey(t, beta, filter);
        Matches cached = matchCache.get(key);
        if (cached == null || cached.retained() < retained) {
            ODataFilter f = filter == null ? null : ODataFilter.parse(filter, "microsoft.graph.signIn");
            int[] buf = new int[retained];
            int n = 0;
            for (int i = 0; i < retained; i++) {
                io.mfagov.graphsim.model.SignIn s = log.get(i);
                if (!eventTypesNamed && !io.mfagov.graphsim.model.SignIn.INTERACTIVE_USER.equals(s.eventType())) {
                    continue;
                }
                if (f == null || f.test(Render.signIn(s, t, beta))) {
                    buf[n++] = i;
                }
            }
            cached = new Matches(retained, Arrays.copyOf(buf, n));
            matchCache.put(key, cached);
        }
        int[] idx = cached.indexes();
        int cut = Arrays.binarySearch(idx, retained);
        cut = cut >= 0 ? cut : -cut - 1;
        return cut == idx.length ? idx : Arrays.copyOf(idx, cut);
    }

    /** Per-user MFA (beta only): {"perUserMfaState": "disabled|enabled|enforced"}. */
    private GraphResponse perUserMfa(GraphRequest r, Matcher m) {
        if (!r.beta()) {
            throw new GraphError(400, "BadRequest", "Resource not found for the segment 'requirements'.");
        }
        User u = r.tenant.user(m.group(1));
        if (u == null) {
            throw notFound(m.group(1));
        }
        ObjectNode out = Json.obj();
        out.put("@odata.context", r.serviceRoot() + "/$metadata#users('" + u.id() + "')/authentication/requirements");
        out.put("perUserMfaState", u.perUserMfaState());
        return GraphResponse.json(200, out);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private GraphResponse listOf(GraphRequest r, String context, List<ObjectNode> all, String typeName,
                                 int defaultTop, int maxTop, boolean keepType) {
        return paged(r, context, all.size(), all::get, null, typeName, defaultTop, maxTop, keepType);
    }

    private GraphResponse paged(GraphRequest r, String context, int size, IntFunction<ObjectNode> full,
                                List<String> defaultSelect, String typeName, int defaultTop, int maxTop, boolean keepType) {
        return paged(r, context, size, full, defaultSelect, typeName, defaultTop, maxTop, keepType, null);
    }

    /**
     * Filter ($filter on the full rendering), page ($top, $skiptoken, absolute nextLink), project ($select or the
     * default set), count ($count=true).
     */
    private GraphResponse paged(GraphRequest r, String context, int size, IntFunction<ObjectNode> full,
                                List<String> defaultSelect, String typeName, int defaultTop, int maxTop, boolean keepType,
                                IntFunction<ObjectNode> defaultRender) {
        int top = top(r, defaultTop, maxTop);
        int offset = skipToken(r);
        String filterText = r.q("$filter");
        List<String> select = selectList(r);
        if (select != null && size > 0) {
            validateSelect(select, full.apply(0), typeName);
        }
        boolean count = "true".equalsIgnoreCase(r.q("$count"));
        if (r.q("$orderby") != null && r.q("$orderby").isBlank()) {
            throw new GraphError(400, "BadRequest", "Invalid $orderby expression.");
        }
        int[] matches = null;
        int total = size;
        if (filterText != null) {
            if (filterText.isBlank()) {
                throw new GraphError(400, "BadRequest", "Invalid filter clause: empty expression.");
            }
            ODataFilter filter = ODataFilter.parse(filterText, typeName);
            int[] buf = new int[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (filter.test(full.apply(i))) {
                    buf[n++] = i;
                }
            }
            matches = Arrays.copyOf(buf, n);
            total = n;
        }
        if (offset > total) {
            offset = total;
        }
        int end = (int) Math.min((long) offset + top, total);
        List<ObjectNode> page = new ArrayList<>(Math.max(0, end - offset));
        for (int k = offset; k < end; k++) {
            int idx = matches == null ? k : matches[k];
            if (select != null) {
                page.add(Render.project(full.apply(idx), select, keepType));
            } else if (defaultRender != null) {
                page.add(defaultRender.apply(idx));
            } else if (defaultSelect != null) {
                page.add(Render.project(full.apply(idx), defaultSelect, keepType));
            } else {
                page.add(full.apply(idx));
            }
        }
        String next = end < total ? nextLink(r, end) : null;
        return collection(r, context, select, page, next, count && offset == 0 ? total : null);
    }

    private GraphResponse collection(GraphRequest r, String context, List<String> select, List<ObjectNode> items,
                                     String nextLink, Integer count) {
        ObjectNode root = Json.obj();
        // the tenantRelationships entity sets have their own metadata document in Graph's answers
        String tr = "tenantRelationships/";
        String meta = context.startsWith(tr) ? r.serviceRoot() + "/" + tr + "$metadata#" + context.substring(tr.length())
                : r.serviceRoot() + "/$metadata#" + context;
        root.put("@odata.context", meta + (select == null ? "" : "(" + String.join(",", select) + ")"));
        if (count != null) {
            root.put("@odata.count", count);
        }
        if (nextLink != null) {
            root.put("@odata.nextLink", nextLink);
        }
        ArrayNode value = root.putArray("value");
        items.forEach(value::add);
        return GraphResponse.json(200, root);
    }

    private static int top(GraphRequest r, int defaultTop, int maxTop) {
        String t = r.q("$top");
        if (t == null) {
            return defaultTop;
        }
        int v;
        try {
            v = Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            throw new GraphError(400, "BadRequest", "Invalid value '" + t + "' for $top query option found. "
                    + "The $top query option requires a non-negative integer value.");
        }
        if (v < 1 || v > maxTop) {
            throw new GraphError(400, "Request_BadRequest", "Invalid page size specified: '" + v
                    + "'. Must be between 1 and " + maxTop + " inclusive.");
        }
        return v;
    }

    private static int skipToken(GraphRequest r) {
        String s = r.q("$skiptoken");
        if (s == null) {
            return 0;
        }
        try {
            String d = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
            if (!d.startsWith("sim-offset:")) {
                throw new IllegalArgumentException();
            }
            int off = Integer.parseInt(d.substring("sim-offset:".length()));
            if (off < 0) {
                throw new IllegalArgumentException();
            }
            return off;
        } catch (IllegalArgumentException e) {
            throw new GraphError(400, "Request_BadRequest", "Invalid $skiptoken value.");
        }
    }

    /** Absolute nextLink to this simulator: same query minus $skiptoken, plus the new $skiptoken. */
    private static String nextLink(GraphRequest r, int offset) {
        StringBuilder sb = new StringBuilder(r.serviceRoot()).append(r.path).append('?');
        boolean first = true;
        for (Map.Entry<String, String> e : r.query.entrySet()) {
            String k = e.getKey();
            if (k.equals("$skiptoken") || k.equals("skiptoken")) {
                continue;
            }
            if (!first) {
                sb.append('&');
            }
            first = false;
            sb.append(QueryString.encode(k)).append('=').append(QueryString.encode(e.getValue()));
        }
        if (!first) {
            sb.append('&');
        }
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("sim-offset:" + offset).getBytes(StandardCharsets.UTF_8));
        return sb.append("$skiptoken=").append(token).toString();
    }

    private static List<String> selectList(GraphRequest r) {
        String s = r.q("$select");
        if (s == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) {
            String t = p.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new GraphError(400, "BadRequest", "Invalid $select: empty property list.");
        }
        return out;
    }

    private static List<String> select(GraphRequest r, ObjectNode sample) {
        List<String> s = selectList(r);
        if (s != null) {
            validateSelect(s, sample, null);
        }
        return s;
    }

    private static void validateSelect(List<String> select, ObjectNode sample, String typeName) {
        if (typeName != null && typeName.equals("microsoft.graph.directoryObject")) {
            return; // mixed types: Graph ignores properties a type lacks
        }
        for (String p : select) {
            if (!sample.has(p) && !p.equals("*")) {
                throw new GraphError(400, "BadRequest", "Could not find a property named '" + p + "' on type '"
                        + (typeName == null ? "microsoft.graph.entity" : typeName) + "'.");
            }
        }
    }

    private static JsonNode parseBody(GraphRequest r) {
        if (r.body == null || r.body.length == 0) {
            throw new GraphError(400, "BadRequest", "Empty Payload. JSON content expected.");
        }
        try {
            JsonNode n = Json.MAPPER.readTree(r.body);
            if (n == null || !n.isObject()) {
                throw new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type "
                        + "header is set and payload is of valid JSON format.");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type "
                    + "header is set and payload is of valid JSON format.");
        }
    }

    private static GraphError notFound(String id) {
        return new GraphError(404, "Request_ResourceNotFound", "Resource '" + id
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

}
