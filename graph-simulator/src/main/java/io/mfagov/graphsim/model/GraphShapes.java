package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.internal.Json;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Normalises fixture objects to the exact shape Graph answers with (Microsoft's documented examples in
 * shared/reference/graph-examples): every property present, missing ones null or [] as Graph returns them.
 */
public final class GraphShapes {

    public static final Set<String> POLICY_STATES = Set.of("enabled", "disabled", "enabledForReportingButNotEnforced");

    /** Top-level properties a PATCH may name. */
    public static final Set<String> POLICY_PROPERTIES = Set.of("id", "templateId", "displayName", "createdDateTime",
            "modifiedDateTime", "state", "sessionControls", "conditions", "grantControls");

    private GraphShapes() {
    }

    /**
     * Full conditionalAccessPolicy shape, a strength given by id expanded when it is a built-in one; throws
     * IllegalArgumentException on an invalid policy.
     */
    public static ObjectNode normalizePolicy(JsonNode in) {
        return normalizePolicy(in, AuthenticationStrengths::builtIn);
    }

    /**
     * Full conditionalAccessPolicy shape; throws IllegalArgumentException on an invalid policy. Missing properties are
     * filled as Graph answers them ({@code null} or {@code []}); what the input sets is kept, including properties the
     * simulator does not know (served verbatim).
     *
     * @param strengths the tenant's authentication strengths by id (built-in and custom): a
     *                  {@code grantControls.authenticationStrength} that names a known id is completed from it (the
     *                  input's own properties win), as Graph answers the expanded relationship; an unknown id is served
     *                  as given. {@code null}: every strength is served exactly as given (e.g. only {@code {"id": …}}).
     */
    public static ObjectNode normalizePolicy(JsonNode in, Function<String, ObjectNode> strengths) {
        if (in == null || !in.isObject()) {
            throw new IllegalArgumentException("policy must be a JSON object");
        }
        String id = text(in, "id");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("policy without id");
        }
        String state = text(in, "state");
        if (state == null || !POLICY_STATES.contains(state)) {
            throw new IllegalArgumentException("policy " + id + ": state must be one of " + POLICY_STATES + ", was " + state);
        }
        ObjectNode p = Json.obj();
        p.put("id", id);
        p.set("templateId", nodeOrNull(in, "templateId"));
        p.set("displayName", nodeOrNull(in, "displayName"));
        p.set("createdDateTime", nodeOr(in, "createdDateTime", Json.F.textNode("2024-01-01T00:00:00Z")));
        p.set("modifiedDateTime", nodeOrNull(in, "modifiedDateTime"));
        p.put("state", state);
        p.set("sessionControls", normalizeSessionControls(in.get("sessionControls")));
        p.set("conditions", normalizeConditions(in.get("conditions")));
        p.set("grantControls", normalizeGrantControls(id, in.get("grantControls"), strengths));
        return p;
    }

    private static JsonNode normalizeSessionControls(JsonNode s) {
        if (s == null || s.isNull()) {
            return NullNode.instance;
        }
        ObjectNode o = Json.obj();
        for (String k : new String[] {"disableResilienceDefaults", "applicationEnforcedRestrictions",
            "cloudAppSecurity", "persistentBrowser", "signInFrequency"}) {
            o.set(k, nodeOrNull(s, k));
        }
        JsonNode f = s.get("signInFrequency");
        if (f != null && f.isObject()) {
            ObjectNode fo = Json.obj();
            fo.set("value", nodeOrNull(f, "value"));
            fo.set("type", nodeOrNull(f, "type"));
            fo.set("authenticationType", nodeOr(f, "authenticationType", Json.F.textNode("primaryAndSecondaryAuthentication")));
            fo.set("frequencyInterval", nodeOr(f, "frequencyInterval", Json.F.textNode(f.hasNonNull("value") ? "timeBased" : "everyTime")));
            fo.set("isEnabled", nodeOr(f, "isEnabled", Json.F.booleanNode(true)));
            o.set("signInFrequency", fo);
        }
        copyRest(s, o);
        return o;
    }

    /**
     * conditionalAccessConditionSet in the order of Microsoft's current list example (ca-policies-list.json):
     * risk levels and client app types as arrays ({@code clientAppTypes} {@code ["all"]} when absent),
     * {@code insiderRiskLevels} (a comma-separated flags string or null), {@code platforms}, {@code locations},
     * {@code devices} ({@code deviceFilter {mode, rule}}), {@code clientApplications} (include/exclude service
     * principals, {@code servicePrincipalFilter}) null when absent; {@code applications} and {@code users} always.
     * {@code authenticationFlows} ({@code transferMethods}, docs-contrib v1.0 conditionalaccessauthenticationflows.md)
     * appears only when the input has it: Microsoft's current list example doesn't carry it. Other properties of the
     * input are kept after these.
     */
    private static ObjectNode normalizeConditions(JsonNode c) {
        if (c == null || c.isNull()) {
            c = Json.obj();
        }
        ObjectNode o = Json.obj();
        o.set("userRiskLevels", arrayOrEmpty(c, "userRiskLevels"));
        o.set("signInRiskLevels", arrayOrEmpty(c, "signInRiskLevels"));
        o.set("clientAppTypes", c.has("clientAppTypes") && c.get("clientAppTypes").isArray()
                ? c.get("clientAppTypes").deepCopy() : Json.arr("all"));
        o.set("servicePrincipalRiskLevels", arrayOrEmpty(c, "servicePrincipalRiskLevels"));
        o.set("insiderRiskLevels", nodeOrNull(c, "insiderRiskLevels"));
        JsonNode platforms = c.get("platforms");
        if (platforms != null && platforms.isObject()) {
            ObjectNode pl = Json.obj();
            pl.set("includePlatforms", arrayOrEmpty(platforms, "includePlatforms"));
            pl.set("excludePlatforms", arrayOrEmpty(platforms, "excludePlatforms"));
            copyRest(platforms, pl);
            o.set("platforms", pl);
        } else {
            o.putNull("platforms");
        }
        JsonNode locations = c.get("locations");
        if (locations != null && locations.isObject()) {
            ObjectNode lo = Json.obj();
            lo.set("includeLocations", arrayOrEmpty(locations, "includeLocations"));
            lo.set("excludeLocations", arrayOrEmpty(locations, "excludeLocations"));
            copyRest(locations, lo);
            o.set("locations", lo);
        } else {
            o.putNull("locations");
        }
        JsonNode devices = c.get("devices");
        if (devices != null && devices.isObject()) {
            ObjectNode d = Json.obj();
            d.set("deviceFilter", filter(devices.get("deviceFilter"), "devices.deviceFilter"));
            copyRest(devices, d);
            o.set("devices", d);
        } else {
            o.putNull("devices");
        }
        JsonNode clientApps = c.get("clientApplications");
        if (clientApps != null && clientApps.isObject()) {
            ObjectNode ca = Json.obj();
            ca.set("includeServicePrincipals", arrayOrEmpty(clientApps, "includeServicePrincipals"));
            ca.set("excludeServicePrincipals", arrayOrEmpty(clientApps, "excludeServicePrincipals"));
            ca.set("servicePrincipalFilter", filter(clientApps.get("servicePrincipalFilter"), "clientApplications.servicePrincipalFilter"));
            copyRest(clientApps, ca);
            o.set("clientApplications", ca);
        } else {
            o.putNull("clientApplications");
        }
        JsonNode a = c.get("applications");
        if (a == null || !a.isObject()) {
            a = Json.obj();
        }
        ObjectNode apps = Json.obj();
        apps.set("includeApplications", arrayOrEmpty(a, "includeApplications"));
        apps.set("excludeApplications", arrayOrEmpty(a, "excludeApplications"));
        apps.set("includeUserActions", arrayOrEmpty(a, "includeUserActions"));
        apps.set("includeAuthenticationContextClassReferences",
                arrayOrEmpty(a, "includeAuthenticationContextClassReferences"));
        apps.set("applicationFilter", filter(a.get("applicationFilter"), "applications.applicationFilter"));
        copyRest(a, apps);
        o.set("applications", apps);
        JsonNode u = c.get("users");
        if (u == null || !u.isObject()) {
            u = Json.obj();
        }
        ObjectNode users = Json.obj();
        for (String k : new String[] {"includeUsers", "excludeUsers", "includeGroups", "excludeGroups",
            "includeRoles", "excludeRoles"}) {
            users.set(k, arrayOrEmpty(u, k));
        }
        users.set("includeGuestsOrExternalUsers", normalizeGuests(u.get("includeGuestsOrExternalUsers")));
        users.set("excludeGuestsOrExternalUsers", normalizeGuests(u.get("excludeGuestsOrExternalUsers")));
        copyRest(u, users);
        o.set("users", users);
        JsonNode flows = c.get("authenticationFlows");
        if (flows != null) {
            if (!flows.isNull() && !flows.isObject()) {
                throw new IllegalArgumentException("authenticationFlows must be an object");
            }
            JsonNode tm = flows.get("transferMethods");
            if (tm != null && !tm.isNull() && !tm.isTextual()) {
                throw new IllegalArgumentException("authenticationFlows.transferMethods is a comma-separated string, not "
                        + tm.getNodeType());
            }
            o.set("authenticationFlows", flows.deepCopy());
        }
        copyRest(c, o);
        return o;
    }

    /** conditionalAccessFilter {mode: include|exclude, rule}: served as given (null when absent). */
    private static JsonNode filter(JsonNode f, String what) {
        if (f == null || f.isNull()) {
            return NullNode.instance;
        }
        if (!f.isObject()) {
            throw new IllegalArgumentException(what + " must be an object {mode, rule}");
        }
        ObjectNode o = Json.obj();
        o.set("mode", nodeOrNull(f, "mode"));
        o.set("rule", nodeOrNull(f, "rule"));
        copyRest(f, o);
        return o;
    }

    private static JsonNode normalizeGuests(JsonNode g) {
        if (g == null || g.isNull()) {
            return NullNode.instance;
        }
        if (!g.isObject()) {
            throw new IllegalArgumentException("guestsOrExternalUsers must be an object");
        }
        JsonNode types = g.get("guestOrExternalUserTypes");
        if (types != null && !types.isTextual()) {
            throw new IllegalArgumentException("guestOrExternalUserTypes is a comma-separated string, not " + types.getNodeType());
        }
        ObjectNode o = Json.obj();
        o.set("guestOrExternalUserTypes", nodeOrNull(g, "guestOrExternalUserTypes"));
        JsonNode ext = g.get("externalTenants");
        if (ext == null || ext.isNull()) {
            o.putNull("externalTenants");
        } else {
            ObjectNode e = Json.obj();
            String kind = text(ext, "membershipKind");
            if ("enumerated".equals(kind)) {
                e.put("@odata.type", "#microsoft.graph.conditionalAccessEnumeratedExternalTenants");
                e.put("membershipKind", "enumerated");
                e.set("members", arrayOrEmpty(ext, "members"));
            } else {
                e.put("@odata.type", "#microsoft.graph.conditionalAccessAllExternalTenants");
                e.put("membershipKind", "all");
            }
            o.set("externalTenants", e);
        }
        return o;
    }

    private static JsonNode normalizeGrantControls(String policyId, JsonNode g, Function<String, ObjectNode> strengths) {
        if (g == null || g.isNull()) {
            return NullNode.instance;
        }
        ObjectNode o = Json.obj();
        o.put("operator", g.hasNonNull("operator") ? g.get("operator").asText() : "OR");
        o.set("builtInControls", arrayOrEmpty(g, "builtInControls"));
        o.set("customAuthenticationFactors", arrayOrEmpty(g, "customAuthenticationFactors"));
        o.set("termsOfUse", arrayOrEmpty(g, "termsOfUse"));
        o.put("authenticationStrength@odata.context", "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('"
                + policyId + "')/grantControls/authenticationStrength/$entity");
        JsonNode strength = g.get("authenticationStrength");
        o.set("authenticationStrength", strength == null || strength.isNull()
                ? NullNode.instance : authenticationStrength(policyId, strength, strengths));
        g.fields().forEachRemaining(e -> {
            if (!o.has(e.getKey()) && !e.getKey().startsWith("authenticationStrength@")) {
                o.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return o;
    }

    /**
     * The expanded strength Graph answers inside grant controls: the tenant's strength with that id, the input's own
     * properties winning; served as given when {@code strengths} is null or doesn't know the id.
     */
    private static JsonNode authenticationStrength(String policyId, JsonNode s, Function<String, ObjectNode> strengths) {
        if (!s.isObject()) {
            throw new IllegalArgumentException("policy " + policyId + ": grantControls.authenticationStrength must be an object");
        }
        String id = text(s, "id");
        ObjectNode base = strengths == null || id == null ? null : strengths.apply(id);
        if (base == null) {
            return s.deepCopy();
        }
        ObjectNode merged = base.deepCopy();
        s.fields().forEachRemaining(e -> {
            if (!e.getKey().contains("@odata.")) {
                merged.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return AuthenticationStrengths.render(merged, "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('"
                + policyId + "')/grantControls/authenticationStrength");
    }

    /**
     * Full namedLocation shape as Microsoft's list example (namedLocations.json) answers it: ipNamedLocation
     * ({@code isTrusted}, {@code ipRanges} of {@code #microsoft.graph.iPv4CidrRange}/{@code iPv6CidrRange}
     * {@code {cidrAddress}}; a range may be given as a plain CIDR string, its type then follows the address) or
     * countryNamedLocation ({@code countriesAndRegions}, {@code includeUnknownCountriesAndRegions}, and
     * {@code countryLookupMethod} when the input has it — the example doesn't carry it).
     */
    public static ObjectNode normalizeNamedLocation(JsonNode in) {
        if (in == null || !in.isObject() || text(in, "id") == null) {
            throw new IllegalArgumentException("named location must be an object with an id");
        }
        String type = text(in, "@odata.type");
        boolean country = type != null ? type.endsWith("countryNamedLocation") : in.has("countriesAndRegions");
        ObjectNode o = Json.obj();
        o.put("@odata.type", country ? "#microsoft.graph.countryNamedLocation" : "#microsoft.graph.ipNamedLocation");
        o.put("id", text(in, "id"));
        o.set("displayName", nodeOrNull(in, "displayName"));
        o.set("modifiedDateTime", nodeOr(in, "modifiedDateTime", nodeOr(in, "createdDateTime", Json.F.textNode("2024-01-01T00:00:00Z"))));
        o.set("createdDateTime", nodeOr(in, "createdDateTime", Json.F.textNode("2024-01-01T00:00:00Z")));
        if (country) {
            o.set("countriesAndRegions", arrayOrEmpty(in, "countriesAndRegions"));
            o.put("includeUnknownCountriesAndRegions", in.path("includeUnknownCountriesAndRegions").asBoolean(false));
            if (in.has("countryLookupMethod")) {
                o.set("countryLookupMethod", in.get("countryLookupMethod").deepCopy());
            }
        } else {
            o.put("isTrusted", in.path("isTrusted").asBoolean(false));
            ArrayNode ranges = Json.arr();
            for (JsonNode r : in.path("ipRanges")) {
                String cidr = r.isTextual() ? r.asText() : text(r, "cidrAddress");
                ObjectNode ro = Json.obj();
                String rangeType = r.isObject() ? text(r, "@odata.type") : null;
                ro.put("@odata.type", rangeType != null ? rangeType
                        : cidr != null && cidr.contains(":") ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange");
                ro.put("cidrAddress", cidr);
                ranges.add(ro);
            }
            o.set("ipRanges", ranges);
        }
        return o;
    }

    /** Deep merge for PATCH: objects merge recursively, everything else replaces. */
    public static void merge(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode cur = target.get(e.getKey());
            if (e.getValue().isObject() && cur != null && cur.isObject()) {
                merge((ObjectNode) cur, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static void copyRest(JsonNode from, ObjectNode to) {
        from.fields().forEachRemaining(e -> {
            if (!to.has(e.getKey())) {
                to.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode nodeOrNull(JsonNode n, String field) {
        return nodeOr(n, field, NullNode.instance);
    }

    private static JsonNode nodeOr(JsonNode n, String field, JsonNode dflt) {
        JsonNode v = n.get(field);
        return v == null ? dflt : v.deepCopy();
    }

    private static JsonNode arrayOrEmpty(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Json.arr();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(field + " must be an array");
        }
        return v.deepCopy();
    }
}
