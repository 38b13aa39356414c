package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.internal.Json;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

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

    /** Full conditionalAccessPolicy shape; throws IllegalArgumentException on an invalid policy. */
    public static ObjectNode normalizePolicy(JsonNode in) {
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
        p.set("grantControls", normalizeGrantControls(id, in.get("grantControls")));
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
            o.set("platforms", pl);
        } else {
            o.putNull("platforms");
        }
        JsonNode locations = c.get("locations");
        if (locations != null && locations.isObject()) {
            ObjectNode lo = Json.obj();
            lo.set("includeLocations", arrayOrEmpty(locations, "includeLocations"));
            lo.set("excludeLocations", arrayOrEmpty(locations, "excludeLocations"));
            o.set("locations", lo);
        } else {
            o.putNull("locations");
        }
        o.set("devices", nodeOrNull(c, "devices"));
        o.set("clientApplications", nodeOrNull(c, "clientApplications"));
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
        apps.set("applicationFilter", nodeOrNull(a, "applicationFilter"));
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
        o.set("users", users);
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

    private static JsonNode normalizeGrantControls(String policyId, JsonNode g) {
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
                ? NullNode.instance : authenticationStrength(policyId, strength));
        return o;
    }

    /** Expands a built-in strength given by id only ({"id":"00000000-0000-0000-0000-000000000002"}). */
    private static JsonNode authenticationStrength(String policyId, JsonNode s) {
        String id = text(s, "id");
        ObjectNode o = Json.obj();
        o.put("id", id);
        o.set("createdDateTime", nodeOr(s, "createdDateTime", Json.F.textNode("2021-12-01T08:00:00Z")));
        o.set("modifiedDateTime", nodeOr(s, "modifiedDateTime", Json.F.textNode("2021-12-01T08:00:00Z")));
        String name;
        String description;
        String satisfied = "mfa";
        ArrayNode combos;
        switch (id == null ? "" : id) {
            case "00000000-0000-0000-0000-000000000003" -> {
                name = "Passwordless MFA";
                description = "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator";
                combos = Json.arr("windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush");
            }
            case "00000000-0000-0000-0000-000000000004" -> {
                name = "Phishing-resistant MFA";
                description = "Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key";
                combos = Json.arr("windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor");
            }
            default -> {
                name = "Multifactor authentication";
                description = "Combinations of methods that satisfy strong authentication, such as a password + SMS";
                combos = Json.arr("windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush",
                        "temporaryAccessPassOneTime", "temporaryAccessPassMultiUse", "password,microsoftAuthenticatorPush",
                        "password,softwareOath", "password,hardwareOath", "password,sms", "password,voice",
                        "federatedMultiFactor", "microsoftAuthenticatorPush,federatedSingleFactor",
                        "softwareOath,federatedSingleFactor", "hardwareOath,federatedSingleFactor",
                        "sms,federatedSingleFactor", "voice,federatedSingleFactor");
            }
        }
        boolean builtIn = id != null && id.startsWith("00000000-0000-0000-0000-00000000000");
        o.put("displayName", s.hasNonNull("displayName") ? s.get("displayName").asText() : name);
        o.put("description", s.hasNonNull("description") ? s.get("description").asText() : description);
        o.put("policyType", s.hasNonNull("policyType") ? s.get("policyType").asText() : builtIn ? "builtIn" : "custom");
        o.put("requirementsSatisfied", s.hasNonNull("requirementsSatisfied") ? s.get("requirementsSatisfied").asText() : satisfied);
        o.set("allowedCombinations", s.has("allowedCombinations") ? s.get("allowedCombinations").deepCopy() : combos);
        o.put("combinationConfigurations@odata.context", "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('"
                + policyId + "')/grantControls/authenticationStrength/combinationConfigurations");
        o.set("combinationConfigurations", arrayOrEmpty(s, "combinationConfigurations"));
        return o;
    }

    /** Full namedLocation shape (ipNamedLocation or countryNamedLocation). */
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
                ro.put("@odata.type", cidr != null && cidr.contains(":") ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange");
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
