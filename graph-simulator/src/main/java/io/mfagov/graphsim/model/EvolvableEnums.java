package io.mfagov.graphsim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.internal.Json;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Graph's evolvable enumerations: members added after the sentinel {@code unknownFutureValue} are sent as
 * {@code unknownFutureValue} unless the request carries {@code Prefer: include-unknown-enum-members}
 * (docs-contrib {@code concepts/best-practices-concept.md}, "Evolvable enums": "By default, unknown members are not
 * returned by Microsoft Graph … opt-in … using an HTTP Prefer request header: {@code Prefer:
 * include-unknown-enum-members}"; the grant-controls resource page says the same of {@code riskRemediation}).
 *
 * <p>The member lists below are the v1.0 enums in their metadata order, as the Microsoft Graph Java SDK 6.69.0
 * generates them (com.microsoft.graph.models.*). Today only {@code linux} (device platforms), {@code riskRemediation}
 * (grant controls) and {@code qrCodePin} (authentication method modes, in strengths' {@code allowedCombinations})
 * come after the sentinel; the other types are listed so a member added later is one edit.
 */
public final class EvolvableEnums {

    /** The Prefer token that opts in to members after the sentinel. */
    public static final String PREFER_TOKEN = "include-unknown-enum-members";
    public static final String SENTINEL = "unknownFutureValue";

    /** An enum type: its members in metadata order; those after the sentinel are "unknown" to default clients. */
    record EnumType(String name, Set<String> unknown) {
        static EnumType of(String name, String... members) {
            Set<String> after = new LinkedHashSet<>();
            boolean seen = false;
            for (String m : members) {
                if (seen) {
                    after.add(m.toLowerCase(Locale.ROOT));
                }
                seen |= m.equals(SENTINEL);
            }
            return new EnumType(name, Set.copyOf(after));
        }
    }

    static final EnumType DEVICE_PLATFORM = EnumType.of("conditionalAccessDevicePlatform",
            "android", "iOS", "windows", "windowsPhone", "macOS", "all", SENTINEL, "linux");
    static final EnumType GRANT_CONTROL = EnumType.of("conditionalAccessGrantControl",
            "block", "mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication", "compliantApplication",
            "passwordChange", SENTINEL, "riskRemediation");
    static final EnumType CLIENT_APP = EnumType.of("conditionalAccessClientApp",
            "all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "easSupported", "other", SENTINEL);
    static final EnumType GUEST_TYPES = EnumType.of("conditionalAccessGuestOrExternalUserTypes",
            "none", "internalGuest", "b2bCollaborationGuest", "b2bCollaborationMember", "b2bDirectConnectUser",
            "otherExternalUser", "serviceProvider", SENTINEL);
    static final EnumType TRANSFER_METHODS = EnumType.of("conditionalAccessTransferMethods",
            "none", "deviceCodeFlow", "authenticationTransfer", SENTINEL);
    static final EnumType RISK_LEVEL = EnumType.of("riskLevel", "low", "medium", "high", "hidden", "none", SENTINEL);
    static final EnumType INSIDER_RISK = EnumType.of("conditionalAccessInsiderRiskLevels",
            "minor", "moderate", "elevated", SENTINEL);
    static final EnumType COUNTRY_LOOKUP = EnumType.of("countryLookupMethodType",
            "clientIpAddress", "authenticatorAppGps", SENTINEL);
    static final EnumType METHOD_MODES = EnumType.of("authenticationMethodModes",
            "password", "voice", "hardwareOath", "softwareOath", "sms", "fido2", "windowsHelloForBusiness",
            "microsoftAuthenticatorPush", "deviceBasedPush", "temporaryAccessPassOneTime", "temporaryAccessPassMultiUse",
            "email", "x509CertificateSingleFactor", "x509CertificateMultiFactor", "federatedSingleFactor",
            "federatedMultiFactor", SENTINEL, "qrCodePin");
    static final EnumType SIF_AUTH_TYPE = EnumType.of("signInFrequencyAuthenticationType",
            "primaryAndSecondaryAuthentication", "secondaryAuthentication", SENTINEL);
    static final EnumType SIF_INTERVAL = EnumType.of("signInFrequencyInterval", "timeBased", "everyTime", SENTINEL);
    static final EnumType CLOUD_APP_SECURITY = EnumType.of("cloudAppSecuritySessionControlType",
            "mcasConfigured", "monitorOnly", "blockDownloads", SENTINEL);

    /** Where an enum value sits: a path of object properties; the value is a string (flags: comma-separated) or an array of them. */
    record Rule(List<String> path, EnumType type) {
    }

    static final List<Rule> POLICY_RULES = List.of(
            new Rule(List.of("conditions", "platforms", "includePlatforms"), DEVICE_PLATFORM),
            new Rule(List.of("conditions", "platforms", "excludePlatforms"), DEVICE_PLATFORM),
            new Rule(List.of("conditions", "clientAppTypes"), CLIENT_APP),
            new Rule(List.of("conditions", "userRiskLevels"), RISK_LEVEL),
            new Rule(List.of("conditions", "signInRiskLevels"), RISK_LEVEL),
            new Rule(List.of("conditions", "servicePrincipalRiskLevels"), RISK_LEVEL),
            new Rule(List.of("conditions", "insiderRiskLevels"), INSIDER_RISK),
            new Rule(List.of("conditions", "users", "includeGuestsOrExternalUsers", "guestOrExternalUserTypes"), GUEST_TYPES),
            new Rule(List.of("conditions", "users", "excludeGuestsOrExternalUsers", "guestOrExternalUserTypes"), GUEST_TYPES),
            new Rule(List.of("conditions", "authenticationFlows", "transferMethods"), TRANSFER_METHODS),
            new Rule(List.of("grantControls", "builtInControls"), GRANT_CONTROL),
            new Rule(List.of("grantControls", "authenticationStrength", "allowedCombinations"), METHOD_MODES),
            new Rule(List.of("sessionControls", "signInFrequency", "authenticationType"), SIF_AUTH_TYPE),
            new Rule(List.of("sessionControls", "signInFrequency", "frequencyInterval"), SIF_INTERVAL),
            new Rule(List.of("sessionControls", "cloudAppSecurity", "cloudAppSecurityType"), CLOUD_APP_SECURITY));
    static final List<Rule> NAMED_LOCATION_RULES = List.of(
            new Rule(List.of("countryLookupMethod"), COUNTRY_LOOKUP));
    static final List<Rule> STRENGTH_RULES = List.of(
            new Rule(List.of("allowedCombinations"), METHOD_MODES));

    private EvolvableEnums() {
    }

    /** Whether a request's {@code Prefer} header(s) opt in to unknown members (tokens are comma-separated). */
    public static boolean wanted(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String token : prefer.split(",")) {
            String t = token.trim();
            int semi = t.indexOf(';');
            if ((semi < 0 ? t : t.substring(0, semi).trim()).equalsIgnoreCase(PREFER_TOKEN)) {
                return true;
            }
        }
        return false;
    }

    /** The conditionalAccessPolicy as a client without the Prefer header sees it: the input itself if nothing changes, else a copy. */
    public static ObjectNode knownMembersOnlyPolicy(ObjectNode policy) {
        return apply(policy, POLICY_RULES);
    }

    /** The namedLocation as a client without the Prefer header sees it (the input itself if nothing changes). */
    public static ObjectNode knownMembersOnlyNamedLocation(ObjectNode location) {
        return apply(location, NAMED_LOCATION_RULES);
    }

    /** The authenticationStrengthPolicy as a client without the Prefer header sees it (the input itself if nothing changes). */
    public static ObjectNode knownMembersOnlyStrength(ObjectNode strength) {
        return apply(strength, STRENGTH_RULES);
    }

    private static ObjectNode apply(ObjectNode in, List<Rule> rules) {
        ObjectNode out = in;
        for (Rule rule : rules) {
            JsonNode parent = in;
            List<String> path = rule.path();
            for (int i = 0; i < path.size() - 1 && parent != null; i++) {
                parent = parent.get(path.get(i));
            }
            if (parent == null || !parent.isObject()) {
                continue;
            }
            String field = path.get(path.size() - 1);
            JsonNode value = parent.get(field);
            JsonNode replaced = known(value, rule.type());
            if (replaced == value) {
                continue;
            }
            if (out == in) {
                out = in.deepCopy();
            }
            JsonNode target = out;
            for (int i = 0; i < path.size() - 1; i++) {
                target = target.get(path.get(i));
            }
            ((ObjectNode) target).set(field, replaced);
        }
        return out;
    }

    /** The value with unknown members replaced by the sentinel; the same node when nothing changes. */
    private static JsonNode known(JsonNode value, EnumType type) {
        if (value == null || type.unknown().isEmpty()) {
            return value;
        }
        if (value.isTextual()) {
            String k = knownFlags(value.asText(), type);
            return k.equals(value.asText()) ? value : Json.F.textNode(k);
        }
        if (value.isArray()) {
            boolean changed = false;
            Set<String> items = new LinkedHashSet<>();
            for (JsonNode e : value) {
                String s = e.asText();
                String k = e.isTextual() ? knownFlags(s, type) : s;
                changed |= !k.equals(s);
                changed |= !items.add(k);
            }
            if (!changed) {
                return value;
            }
            ArrayNode a = Json.arr();
            items.forEach(a::add);
            return a;
        }
        return value;
    }

    /** One value or a comma-separated flags value, each unknown member replaced (duplicates dropped). */
    private static String knownFlags(String v, EnumType type) {
        String[] parts = v.split(",");
        boolean changed = false;
        Set<String> out = new LinkedHashSet<>();
        for (String p : parts) {
            String t = p.trim();
            if (type.unknown().contains(t.toLowerCase(Locale.ROOT))) {
                t = SENTINEL;
                changed = true;
            }
            out.add(t);
        }
        if (!changed) {
            return v;
        }
        return String.join(",", out);
    }
}
