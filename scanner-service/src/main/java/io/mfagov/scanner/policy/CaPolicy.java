package io.mfagov.scanner.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.events.PolicyState;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A Conditional Access policy as Graph sent it, read from the raw JSON answer rather than the SDK's model: the SDK's
 * enums drop values they do not know (a new platform, client app type, control), so every value is kept here as
 * text, and values this scanner does not know are listed in {@link #unknownValues()} ({@code field=value}).
 */
public record CaPolicy(
        String id,
        String displayName,
        String rawState,
        PolicyState state,
        Users users,
        Applications applications,
        Conditions conditions,
        Grant grant,
        List<String> unknownValues) {

    /** {@code conditions.users}; {@code null} lists are empty. */
    public record Users(List<String> includeUsers, List<String> excludeUsers, List<String> includeGroups,
                        List<String> excludeGroups, List<String> includeRoles, List<String> excludeRoles,
                        GuestSpec includeGuests, GuestSpec excludeGuests, boolean present) {
    }

    /** {@code includeGuestsOrExternalUsers} / {@code excludeGuestsOrExternalUsers}. */
    public record GuestSpec(Set<String> types, boolean allTenants, List<String> tenants) {
    }

    /** {@code conditions.applications}. */
    public record Applications(List<String> include, List<String> exclude, List<String> userActions,
                               List<String> authContexts, String filterMode, String filterRule) {
    }

    /**
     * The other conditions. A list that is {@code null} means the condition is not configured (it does not narrow
     * the policy); {@code platformsConfigured} tells an absent platform condition from an empty one.
     */
    public record Conditions(List<String> clientAppTypes, boolean platformsConfigured, List<String> includePlatforms,
                             List<String> excludePlatforms, List<String> includeLocations, List<String> excludeLocations,
                             String deviceFilterMode, String deviceFilterRule, List<String> signInRiskLevels,
                             List<String> userRiskLevels, String insiderRiskLevels, List<String> transferMethods,
                             List<String> clientApplications, String servicePrincipalFilter) {
    }

    /** {@code grantControls}: operator, built-in controls, custom controls, terms of use, authentication strength. */
    public record Grant(String operator, List<String> builtInControls, List<String> customControls,
                        List<String> termsOfUse, Strength strength) {

        public boolean has(String control) {
            return builtInControls.stream().anyMatch(c -> c.equalsIgnoreCase(control));
        }

        public boolean or() {
            return "OR".equalsIgnoreCase(operator);
        }
    }

    /** The authentication strength a policy requires; {@code requirementsSatisfied} null when the policy did not carry it. */
    public record Strength(String id, String displayName, String requirementsSatisfied) {
    }

    static final Set<String> PLATFORMS = Set.of("android", "ios", "windows", "windowsphone", "macos", "linux", "all",
            "unknownfuturevalue");
    static final Set<String> CLIENT_APP_TYPES = Set.of("all", "browser", "mobileappsanddesktopclients",
            "exchangeactivesync", "eassupported", "other", "unknownfuturevalue");
    static final Set<String> BUILT_IN_CONTROLS = Set.of("block", "mfa", "compliantdevice", "domainjoineddevice",
            "approvedapplication", "compliantapplication", "passwordchange", "unknownfuturevalue", "riskremediation");
    static final Set<String> RISK_LEVELS = Set.of("low", "medium", "high", "hidden", "none", "unknownfuturevalue");
    static final Set<String> GUEST_TYPES = Set.of("none", "internalguest", "b2bcollaborationguest",
            "b2bcollaborationmember", "b2bdirectconnectuser", "otherexternaluser", "serviceprovider",
            "unknownfuturevalue");

    /**
     * Reads one policy object of Graph's answer. Never throws on unknown or missing values: what cannot be read is
     * left empty and what is unknown is carried as text and listed.
     */
    public static CaPolicy parse(JsonNode p) {
        List<String> unknown = new ArrayList<>();
        JsonNode c = p.path("conditions");
        JsonNode u = c.path("users");
        Users users = new Users(strings(u.path("includeUsers")), strings(u.path("excludeUsers")),
                strings(u.path("includeGroups")), strings(u.path("excludeGroups")), strings(u.path("includeRoles")),
                strings(u.path("excludeRoles")), guests(u.path("includeGuestsOrExternalUsers"), "includeGuestsOrExternalUsers", unknown),
                guests(u.path("excludeGuestsOrExternalUsers"), "excludeGuestsOrExternalUsers", unknown), u.isObject());
        JsonNode a = c.path("applications");
        JsonNode af = a.path("applicationFilter");
        Applications apps = new Applications(strings(a.path("includeApplications")), strings(a.path("excludeApplications")),
                strings(a.path("includeUserActions")), strings(a.path("includeAuthenticationContextClassReferences")),
                text(af.path("mode")), text(af.path("rule")));
        JsonNode pl = c.path("platforms");
        boolean platforms = pl.isObject();
        List<String> clientAppTypes = nullableStrings(c.path("clientAppTypes"));
        check(clientAppTypes, CLIENT_APP_TYPES, "clientAppTypes", unknown);
        List<String> includePlatforms = strings(pl.path("includePlatforms"));
        List<String> excludePlatforms = strings(pl.path("excludePlatforms"));
        check(includePlatforms, PLATFORMS, "includePlatforms", unknown);
        check(excludePlatforms, PLATFORMS, "excludePlatforms", unknown);
        JsonNode loc = c.path("locations");
        JsonNode df = c.path("devices").path("deviceFilter");
        List<String> signIn = nullableStrings(c.path("signInRiskLevels"));
        List<String> userRisk = nullableStrings(c.path("userRiskLevels"));
        check(signIn, RISK_LEVELS, "signInRiskLevels", unknown);
        check(userRisk, RISK_LEVELS, "userRiskLevels", unknown);
        JsonNode ca = c.path("clientApplications");
        List<String> clientApps = new ArrayList<>(strings(ca.path("includeServicePrincipals")));
        Conditions conditions = new Conditions(clientAppTypes, platforms, includePlatforms, excludePlatforms,
                loc.isObject() ? strings(loc.path("includeLocations")) : null,
                loc.isObject() ? strings(loc.path("excludeLocations")) : null,
                text(df.path("mode")), text(df.path("rule")), signIn, userRisk,
                text(c.path("insiderRiskLevels")), nullableCsv(c.path("authenticationFlows").path("transferMethods")),
                clientApps.isEmpty() ? null : clientApps, text(ca.path("servicePrincipalFilter").path("rule")));
        JsonNode g = p.path("grantControls");
        List<String> builtIn = strings(g.path("builtInControls"));
        check(builtIn, BUILT_IN_CONTROLS, "builtInControls", unknown);
        JsonNode s = g.path("authenticationStrength");
        Strength strength = s.isObject() ? new Strength(text(s.path("id")), text(s.path("displayName")),
                text(s.path("requirementsSatisfied"))) : null;
        Grant grant = g.isObject() ? new Grant(text(g.path("operator")), builtIn, strings(g.path("customAuthenticationFactors")),
                strings(g.path("termsOfUse")), strength) : null;
        String rawState = text(p.path("state"));
        PolicyState state = rawState == null ? null : PolicyState.fromGraph(rawState);
        return new CaPolicy(text(p.path("id")), text(p.path("displayName")), rawState, state, users, apps, conditions,
                grant, List.copyOf(unknown));
    }

    private static GuestSpec guests(JsonNode g, String field, List<String> unknown) {
        if (!g.isObject()) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        JsonNode t = g.path("guestOrExternalUserTypes");
        // a comma-separated multi-valued enum string (also accepted as an array)
        List<String> values = t.isArray() ? strings(t) : t.isTextual() ? csv(t.asText()) : List.of();
        for (String v : values) {
            if (!v.equalsIgnoreCase("none")) {
                types.add(v);
            }
            if (!GUEST_TYPES.contains(v.toLowerCase(Locale.ROOT))) {
                unknown.add(field + ".guestOrExternalUserTypes=" + v);
            }
        }
        if (types.isEmpty()) {
            return null;
        }
        JsonNode tenants = g.path("externalTenants");
        boolean enumerated = "enumerated".equalsIgnoreCase(text(tenants.path("membershipKind")))
                || text(tenants.path("@odata.type")) != null && text(tenants.path("@odata.type")).contains("Enumerated");
        return new GuestSpec(types, !enumerated, enumerated ? strings(tenants.path("members")) : List.of());
    }

    private static void check(List<String> values, Set<String> known, String field, List<String> unknown) {
        if (values == null) {
            return;
        }
        for (String v : values) {
            if (!known.contains(v.toLowerCase(Locale.ROOT))) {
                unknown.add(field + "=" + v);
            }
        }
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.isTextual() ? n.asText() : n.toString();
    }

    static List<String> strings(JsonNode n) {
        List<String> out = nullableStrings(n);
        return out == null ? List.of() : out;
    }

    private static List<String> nullableStrings(JsonNode n) {
        if (n == null || !n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            String v = e.isTextual() ? e.asText().trim() : null;
            if (v != null && !v.isEmpty() && !out.contains(v)) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> nullableCsv(JsonNode n) {
        String t = text(n);
        if (t == null) {
            return null;
        }
        List<String> values = csv(t).stream().filter(v -> !v.equalsIgnoreCase("none")).toList();
        return values.isEmpty() ? null : values;
    }

    private static List<String> csv(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String v = part.trim();
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    public static boolean containsIgnoreCase(List<String> list, String value) {
        return list != null && list.stream().anyMatch(v -> Objects.equals(v.toLowerCase(Locale.ROOT),
                value.toLowerCase(Locale.ROOT)));
    }
}
