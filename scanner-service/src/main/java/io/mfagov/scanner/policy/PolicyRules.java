package io.mfagov.scanner.policy;

import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.PrincipalType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.mfagov.scanner.policy.CaPolicy.containsIgnoreCase;

/**
 * Pure Entra semantics of one policy, from Microsoft's documentation (see docs/scan-semantics.md): whether its grant
 * requires MFA and with which alternatives, what it targets, and which conditions leave sign-ins outside it (holes).
 */
public final class PolicyRules {

    /** The built-in authentication strengths, all of which satisfy {@code mfa} (used when a lookup is impossible). */
    static final Map<String, String> BUILT_IN_STRENGTHS = Map.of(
            "00000000-0000-0000-0000-000000000002", "Multifactor authentication",
            "00000000-0000-0000-0000-000000000003", "Passwordless MFA",
            "00000000-0000-0000-0000-000000000004", "Phishing resistant MFA");
    /** The device platforms Entra evaluates, in its order. */
    public static final List<String> PLATFORMS = List.of("android", "iOS", "windows", "windowsPhone", "macOS", "linux");
    /** The client app types Entra evaluates (easSupported is the legacy name of exchangeActiveSync). */
    public static final List<String> CLIENT_APP_TYPES = List.of("browser", "mobileAppsAndDesktopClients",
            "exchangeActiveSync", "other");
    /** Legacy authentication clients: they cannot do MFA at all. */
    public static final Set<String> LEGACY_CLIENT_APP_TYPES = Set.of("exchangeActiveSync", "other");
    static final List<String> RISK_LEVELS = List.of("none", "low", "medium", "high");
    /** Device properties a user (or a device they control) can set: a filter resting on them is no boundary. */
    static final Pattern USER_CHANGEABLE = Pattern.compile(
            "device\\.(displayName|model|manufacturer)\\b", Pattern.CASE_INSENSITIVE);
    static final Pattern NEGATED_OPERATOR = Pattern.compile("-(ne|notIn|notContains|notStartsWith|notEndsWith|notMatch)\\b",
            Pattern.CASE_INSENSITIVE);
    /** The legacy per-user MFA service's trusted IPs, as named in excludeLocations. */
    public static final String LEGACY_MFA_TRUSTED_IPS = "00000000-0000-0000-0000-000000000000";

    private PolicyRules() {
    }

    /**
     * What a policy's grant demands.
     *
     * @param requirement   how it requires MFA, or null when it does not (block, terms of use only, device only)
     * @param block         the grant is {@code block}
     * @param strength      the required strength's name or id
     * @param customControl the custom control(s), when the requirement rests on them
     * @param alternatives  non-MFA controls that satisfy the policy on their own (operator OR)
     * @param flags         e.g. {@code unknownValue:builtInControls=...}
     * @param problem       why the decision is uncertain (the tenant becomes PARTIAL), or null
     */
    public record GrantDecision(MfaRequirement requirement, boolean block, String strength, String customControl,
                                List<String> alternatives, List<String> flags, String problem) {

        public boolean requiresMfa() {
            return requirement != null;
        }

        /** Requires MFA with no way around it through the grant. */
        public boolean strict() {
            return requirement != null && alternatives.isEmpty();
        }
    }

    /** A hole of a policy: something it leaves out where sign-ins need no MFA from it. */
    public record Hole(PrincipalType type, String id, String displayName, Map<String, String> details, List<String> flags) {
    }

    /** A named location as the scan read it. */
    public record Location(String id, String displayName, boolean trusted, String kind, List<String> ranges,
                           List<String> countries) {
    }

    /** The grant decision; {@code strengths} are the tenant's strengths by id (lower case), read once when needed. */
    public static GrantDecision grant(CaPolicy p, Map<String, CaPolicy.Strength> strengths) {
        CaPolicy.Grant g = p.grant();
        if (g == null) {
            return new GrantDecision(null, false, null, null, List.of(), List.of(), null);
        }
        List<String> flags = new ArrayList<>();
        p.unknownValues().stream().filter(v -> v.startsWith("builtInControls=")).forEach(v -> flags.add("unknownValue:" + v));
        if (g.has("block")) {
            return new GrantDecision(null, true, null, null, List.of(), flags, null);
        }
        // riskRemediation is always ANDed with an authentication strength (Graph's grant controls page): the strength
        // decides; passwordChange is always ANDed with mfa
        boolean mfa = g.has("mfa");
        String problem = null;
        String strengthName = null;
        boolean strengthMfa = false;
        if (g.strength() != null) {
            CaPolicy.Strength s = g.strength();
            String requirements = s.requirementsSatisfied();
            CaPolicy.Strength known = s.id() == null ? null : strengths.get(s.id().toLowerCase(Locale.ROOT));
            if (requirements == null && known != null) {
                requirements = known.requirementsSatisfied();
            }
            if (requirements == null && s.id() != null && BUILT_IN_STRENGTHS.containsKey(s.id().toLowerCase(Locale.ROOT))) {
                requirements = "mfa";
            }
            strengthName = firstNonNull(s.displayName(), known == null ? null : known.displayName(),
                    s.id() == null ? null : BUILT_IN_STRENGTHS.get(s.id().toLowerCase(Locale.ROOT)), s.id());
            if (requirements == null) {
                problem = "policy " + p.id() + ": authentication strength " + s.id() + " could not be looked up";
            } else {
                strengthMfa = List.of(requirements.split(",")).stream().anyMatch(r -> r.trim().equalsIgnoreCase("mfa"));
            }
        }
        boolean custom = !g.customControls().isEmpty();
        MfaRequirement requirement = mfa ? MfaRequirement.BUILT_IN_MFA : strengthMfa ? MfaRequirement.AUTH_STRENGTH
                : custom ? MfaRequirement.CUSTOM_CONTROL : null;
        List<String> alternatives = new ArrayList<>();
        if (requirement != null && g.or()) {
            for (String control : g.builtInControls()) {
                String c = control.toLowerCase(Locale.ROOT);
                if (!c.equals("mfa") && !c.equals("riskremediation") && !c.equals("passwordchange")) {
                    alternatives.add(control);
                }
            }
            g.termsOfUse().forEach(t -> alternatives.add("termsOfUse:" + t));
        }
        return new GrantDecision(requirement, false, strengthName,
                custom ? String.join(",", g.customControls()) : null, List.copyOf(alternatives), List.copyOf(flags), problem);
    }

    /** {@code allApps}, {@code apps:<ids>}, {@code userAction:<action>} or {@code authContext:<ids>}. */
    public static String target(CaPolicy p) {
        CaPolicy.Applications a = p.applications();
        if (!a.userActions().isEmpty()) {
            return "userAction:" + String.join(",", a.userActions());
        }
        if (!a.authContexts().isEmpty()) {
            return "authContext:" + String.join(",", a.authContexts());
        }
        if (containsIgnoreCase(a.include(), "All")) {
            return "allApps";
        }
        return "apps:" + String.join(",", a.include());
    }

    /** Targets every cloud app with no app left out: the only kind of policy that can cover a user everywhere. */
    public static boolean allAppsWithoutExclusion(CaPolicy p) {
        return "allApps".equals(target(p)) && p.applications().exclude().isEmpty() && p.applications().filterRule() == null;
    }

    /**
     * The condition and grant holes of an MFA policy (excluded applications and locations are reported as
     * exclusions, not here). {@code locations}: the tenant's named locations by id (lower case), null if not read.
     */
    public static List<Hole> holes(CaPolicy p, GrantDecision grant, Map<String, Location> locations) {
        List<Hole> out = new ArrayList<>();
        for (String alt : grant.alternatives()) {
            List<String> flags = CaPolicy.containsIgnoreCase(List.of("compliantDevice", "domainJoinedDevice",
                    "approvedApplication", "compliantApplication"), alt) || alt.startsWith("termsOfUse:") ? List.of()
                    : List.of("unknownValue:builtInControls=" + alt);
            out.add(new Hole(PrincipalType.GRANT_ALTERNATIVE, "grant:" + alt, controlName(alt) + " instead of MFA",
                    Map.of("operator", "OR", "controls", String.join(",", p.grant().builtInControls())), flags));
        }
        CaPolicy.Conditions c = p.conditions();
        if (c.platformsConfigured()) {
            if (!containsIgnoreCase(c.includePlatforms(), "all")) {
                for (String platform : PLATFORMS) {
                    if (!containsIgnoreCase(c.includePlatforms(), platform)) {
                        out.add(new Hole(PrincipalType.PLATFORM, "platform:" + platform, platform + " (not included)",
                                Map.of("includePlatforms", String.join(",", c.includePlatforms())), List.of()));
                    }
                }
                out.add(new Hole(PrincipalType.PLATFORM, "platform:unknown", "Unknown platforms (not included)",
                        Map.of("includePlatforms", String.join(",", c.includePlatforms()),
                                "note", "the platform is read from the user agent, which the client controls"),
                        List.of()));
            }
            for (String platform : c.excludePlatforms()) {
                List<String> flags = PLATFORMS.stream().anyMatch(k -> k.equalsIgnoreCase(platform)) ? List.of()
                        : List.of("unknownValue:excludePlatforms=" + platform);
                out.add(new Hole(PrincipalType.PLATFORM, "platform:" + platform, platform + " (excluded)",
                        Map.of("excludePlatforms", String.join(",", c.excludePlatforms()),
                                "note", "the platform is read from the user agent, which the client controls"), flags));
            }
        }
        if (c.clientAppTypes() != null && !c.clientAppTypes().isEmpty() && !containsIgnoreCase(c.clientAppTypes(), "all")) {
            for (String type : CLIENT_APP_TYPES) {
                boolean targeted = containsIgnoreCase(c.clientAppTypes(), type)
                        || type.equals("exchangeActiveSync") && containsIgnoreCase(c.clientAppTypes(), "easSupported");
                if (!targeted) {
                    out.add(new Hole(PrincipalType.CLIENT_APP_TYPE, "clientAppType:" + type, clientAppName(type) + " (not targeted)",
                            Map.of("clientAppTypes", String.join(",", c.clientAppTypes())),
                            LEGACY_CLIENT_APP_TYPES.contains(type) ? List.of("legacyAuthentication") : List.of()));
                }
            }
        }
        if (c.includeLocations() != null && !c.includeLocations().isEmpty() && !containsIgnoreCase(c.includeLocations(), "All")) {
            List<String> names = c.includeLocations().stream().map(l -> locationName(l, locations)).toList();
            out.add(new Hole(PrincipalType.LOCATION, "locations:notIncluded", "Every location outside " + String.join(", ", names),
                    Map.of("includeLocations", String.join(",", c.includeLocations())), List.of()));
        }
        if (c.deviceFilterRule() != null) {
            String mode = c.deviceFilterMode() == null ? "include" : c.deviceFilterMode();
            List<String> flags = new ArrayList<>();
            if (USER_CHANGEABLE.matcher(c.deviceFilterRule()).find()) {
                flags.add("userChangeableProperty");
            }
            boolean negated = NEGATED_OPERATOR.matcher(c.deviceFilterRule()).find();
            // unregistered devices are evaluated with empty properties: outside an include filter unless it matches
            // empty values (negated operators), inside an exclude filter only then
            if (mode.equalsIgnoreCase("include") ? !negated : negated) {
                flags.add("unregisteredDevicesOutside");
            }
            out.add(new Hole(PrincipalType.DEVICE_FILTER, "deviceFilter:" + mode.toLowerCase(Locale.ROOT),
                    "Device filter (" + mode + "): " + c.deviceFilterRule(),
                    Map.of("mode", mode, "rule", c.deviceFilterRule()), List.copyOf(flags)));
        }
        riskHole(out, "signInRisk", "Sign-in risk", c.signInRiskLevels());
        riskHole(out, "userRisk", "User risk", c.userRiskLevels());
        if (c.insiderRiskLevels() != null) {
            out.add(new Hole(PrincipalType.CONDITION, "insiderRisk:" + c.insiderRiskLevels(),
                    "Applies only at insider risk " + c.insiderRiskLevels(), Map.of("insiderRiskLevels", c.insiderRiskLevels()),
                    List.of()));
        }
        if (c.transferMethods() != null) {
            String methods = String.join(",", c.transferMethods());
            out.add(new Hole(PrincipalType.CONDITION, "authenticationFlows:" + methods,
                    "Applies only to authentication flows " + methods + "; every other flow is outside",
                    Map.of("transferMethods", methods), List.of()));
        }
        if (p.applications().filterRule() != null) {
            out.add(new Hole(PrincipalType.CONDITION, "applicationFilter", "Application filter ("
                    + (p.applications().filterMode() == null ? "include" : p.applications().filterMode()) + "): "
                    + p.applications().filterRule(), Map.of("rule", p.applications().filterRule()), List.of()));
        }
        if (c.clientApplications() != null || c.servicePrincipalFilter() != null) {
            out.add(new Hole(PrincipalType.CONDITION, "clientApplications", "Applies only to workload identities "
                    + (c.clientApplications() == null ? "" : String.join(",", c.clientApplications())),
                    Map.of(), List.of()));
        }
        if (grant.requirement() == MfaRequirement.CUSTOM_CONTROL || grant.customControl() != null) {
            for (String control : p.grant().customControls()) {
                out.add(new Hole(PrincipalType.CUSTOM_CONTROL, "customControl:" + control, "Custom control " + control
                        + " stands in for MFA", Map.of("note", "Entra does not treat a custom control as satisfying its"
                        + " MFA claim (PIM activation, Intune enrollment, ID Protection remediation); Microsoft replaces"
                        + " custom controls with external authentication methods"), List.of("customControlNotMfa")));
            }
        }
        return out;
    }

    private static void riskHole(List<Hole> out, String key, String label, List<String> levels) {
        if (levels == null || levels.isEmpty()) {
            return;
        }
        List<String> leftOut = RISK_LEVELS.stream().filter(l -> !containsIgnoreCase(levels, l)).toList();
        if (leftOut.isEmpty()) {
            return;
        }
        out.add(new Hole(PrincipalType.RISK_CONDITION, key + ":" + String.join(",", leftOut),
                label + " " + String.join(", ", leftOut) + " (the policy applies only at " + String.join(", ", levels) + ")",
                Map.of(key + "Levels", String.join(",", levels), "leftOut", String.join(",", leftOut)), List.of()));
    }

    /**
     * The legacy client app types an enabled block policy closes for everyone it covers: it blocks, targets all cloud
     * apps, and nothing else narrows it (no platform, location, device, risk or flow condition). Empty otherwise.
     */
    public static Set<String> legacyClientsBlocked(CaPolicy p, GrantDecision grant) {
        if (p.state() != PolicyState.ENABLED || !grant.block() || !allAppsWithoutExclusion(p)) {
            return Set.of();
        }
        CaPolicy.Conditions c = p.conditions();
        if (c.clientAppTypes() == null || containsIgnoreCase(c.clientAppTypes(), "all") || c.platformsConfigured()
                && !(containsIgnoreCase(c.includePlatforms(), "all") && c.excludePlatforms().isEmpty())
                || c.includeLocations() != null && !containsIgnoreCase(c.includeLocations(), "All")
                || c.excludeLocations() != null && !c.excludeLocations().isEmpty() || c.deviceFilterRule() != null
                || c.signInRiskLevels() != null && !c.signInRiskLevels().isEmpty()
                || c.userRiskLevels() != null && !c.userRiskLevels().isEmpty() || c.transferMethods() != null) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        if (containsIgnoreCase(c.clientAppTypes(), "exchangeActiveSync") || containsIgnoreCase(c.clientAppTypes(), "easSupported")) {
            out.add("exchangeActiveSync");
        }
        if (containsIgnoreCase(c.clientAppTypes(), "other")) {
            out.add("other");
        }
        return out;
    }

    private static String locationName(String id, Map<String, Location> locations) {
        if (id.equalsIgnoreCase("AllTrusted")) {
            return "all trusted locations";
        }
        Location l = locations == null ? null : locations.get(id.toLowerCase(Locale.ROOT));
        return l == null || l.displayName() == null ? id : l.displayName();
    }

    static String controlName(String control) {
        return switch (control.toLowerCase(Locale.ROOT)) {
            case "compliantdevice" -> "Compliant device";
            case "domainjoineddevice" -> "Hybrid Entra joined device";
            case "approvedapplication" -> "Approved client app";
            case "compliantapplication" -> "App protection policy";
            default -> control.startsWith("termsOfUse:") ? "Terms of use " + control.substring("termsOfUse:".length())
                    : control;
        };
    }

    static String clientAppName(String type) {
        return switch (type) {
            case "browser" -> "Browser";
            case "mobileAppsAndDesktopClients" -> "Mobile apps and desktop clients";
            case "exchangeActiveSync" -> "Exchange ActiveSync clients";
            case "other" -> "Other clients (legacy authentication)";
            default -> type;
        };
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Ordered details map helper. */
    static Map<String, String> details(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
