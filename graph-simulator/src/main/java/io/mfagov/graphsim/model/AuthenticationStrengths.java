package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.internal.Json;

import java.util.List;
import java.util.Locale;

/**
 * Authentication strength policies ({@code authenticationStrengthPolicy}): the three built-in ones every tenant has,
 * and a tenant's custom ones from its fixture.
 *
 * <p>Sources: the list example of {@code GET /policies/authenticationStrengthPolicies}
 * (docs-contrib {@code api-reference/v1.0/api/authenticationstrengthroot-list-policies.md}, Example 1: ids
 * {@code …0002}, {@code …0003}, {@code …0004}, {@code policyType} {@code builtIn}, {@code requirementsSatisfied}
 * {@code mfa}, property order) and the strength Graph expands inside a CA policy's grant controls
 * ({@code shared/reference/graph-examples/ca-policy-get.json}, {@code ca-policies-list.json}: created/modified
 * {@code 2021-12-01T08:00:00Z}, the "Multifactor authentication" combinations). The docs spell the phishing-resistant
 * strength "Phishing resistant MFA"; tenants answer "Phishing-resistant MFA" with the description
 * "Phishing-resistant, Passwordless methods…" (what CISA ScubaGear's Entra check compares against), which the
 * simulator serves. A custom strength defaults as Microsoft's create example answers
 * ({@code authenticationstrengthroot-post-policies.md}: {@code policyType} {@code custom},
 * {@code requirementsSatisfied} {@code mfa}, {@code combinationConfigurations} {@code []}).
 */
public final class AuthenticationStrengths {

    public static final String MFA = "00000000-0000-0000-0000-000000000002";
    public static final String PASSWORDLESS_MFA = "00000000-0000-0000-0000-000000000003";
    public static final String PHISHING_RESISTANT_MFA = "00000000-0000-0000-0000-000000000004";

    /** The built-in ids, in the order Graph lists them. */
    public static final List<String> BUILT_IN_IDS = List.of(MFA, PASSWORDLESS_MFA, PHISHING_RESISTANT_MFA);

    private static final String BUILT_IN_TIME = "2021-12-01T08:00:00Z";

    private AuthenticationStrengths() {
    }

    public static boolean isBuiltIn(String id) {
        return id != null && BUILT_IN_IDS.contains(id.toLowerCase(Locale.ROOT));
    }

    /** A built-in strength (without OData annotations), or null for any other id. */
    public static ObjectNode builtIn(String id) {
        if (!isBuiltIn(id)) {
            return null;
        }
        String name;
        String description;
        ArrayNode combos;
        switch (id.toLowerCase(Locale.ROOT)) {
            case PASSWORDLESS_MFA -> {
                name = "Passwordless MFA";
                description = "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator";
                combos = Json.arr("windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush");
            }
            case PHISHING_RESISTANT_MFA -> {
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
        ObjectNode o = Json.obj();
        o.put("id", id.toLowerCase(Locale.ROOT));
        o.put("createdDateTime", BUILT_IN_TIME);
        o.put("modifiedDateTime", BUILT_IN_TIME);
        o.put("displayName", name);
        o.put("description", description);
        o.put("policyType", "builtIn");
        o.put("requirementsSatisfied", "mfa");
        o.set("allowedCombinations", combos);
        o.set("combinationConfigurations", Json.arr());
        return o;
    }

    /**
     * A custom strength from a fixture in Graph's full shape: {@code id} required; {@code displayName},
     * {@code description} null when absent; {@code policyType} {@code custom}, {@code requirementsSatisfied}
     * {@code mfa}, {@code allowedCombinations} and {@code combinationConfigurations} {@code []}, the dates
     * {@code defaultTime}, unless the fixture sets them.
     */
    public static ObjectNode normalizeCustom(JsonNode in, String defaultTime) {
        if (in == null || !in.isObject()) {
            throw new IllegalArgumentException("authentication strength must be a JSON object");
        }
        JsonNode idNode = in.get("id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
            throw new IllegalArgumentException("authentication strength without id");
        }
        String id = idNode.asText();
        if (isBuiltIn(id)) {
            throw new IllegalArgumentException("authentication strength " + id + " is built in; every tenant has it");
        }
        ObjectNode o = Json.obj();
        o.put("id", id);
        o.set("createdDateTime", or(in, "createdDateTime", Json.F.textNode(defaultTime)));
        o.set("modifiedDateTime", or(in, "modifiedDateTime", o.get("createdDateTime")));
        o.set("displayName", or(in, "displayName", NullNode.instance));
        o.set("description", or(in, "description", NullNode.instance));
        o.set("policyType", or(in, "policyType", Json.F.textNode("custom")));
        o.set("requirementsSatisfied", or(in, "requirementsSatisfied", Json.F.textNode("mfa")));
        JsonNode combos = in.get("allowedCombinations");
        if (combos != null && !combos.isNull() && !combos.isArray()) {
            throw new IllegalArgumentException("authentication strength " + id + ": allowedCombinations must be an array");
        }
        o.set("allowedCombinations", combos == null || combos.isNull() ? Json.arr() : combos.deepCopy());
        JsonNode configs = in.get("combinationConfigurations");
        o.set("combinationConfigurations", configs == null || configs.isNull() ? Json.arr() : configs.deepCopy());
        return o;
    }

    /**
     * Graph's rendering of a strength: its properties in order, with {@code combinationConfigurations@odata.context}
     * (pointing at {@code contextPrefix}{@code /combinationConfigurations}) before {@code combinationConfigurations}.
     */
    public static ObjectNode render(ObjectNode strength, String contextPrefix) {
        ObjectNode o = Json.obj();
        strength.fields().forEachRemaining(e -> {
            if (e.getKey().equals("combinationConfigurations")) {
                o.put("combinationConfigurations@odata.context", contextPrefix + "/combinationConfigurations");
            }
            o.set(e.getKey(), e.getValue().deepCopy());
        });
        return o;
    }

    private static JsonNode or(JsonNode n, String field, JsonNode dflt) {
        JsonNode v = n.get(field);
        return v == null ? dflt : v.deepCopy();
    }
}
