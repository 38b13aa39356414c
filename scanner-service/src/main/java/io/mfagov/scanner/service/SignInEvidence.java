package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pure logic: a tenant's sign-in log folded, one sign-in at a time, into what the gap signals need: per user the
 * successful single-factor sign-ins, aggregated per app × client app (count, first and last time, locations, IPs); per
 * tracked principal (excluded users, service principals, applications) the evidence of use. Nothing is kept per
 * sign-in, so a tenant's 200,000 sign-ins cost a map entry per user, not per event.
 *
 * <p>Failed sign-ins never count anywhere. A sign-in is single-factor when beta's {@code authenticationRequirement}
 * says {@code singleFactorAuthentication}; on v1.0 (no such property) when no applied Conditional Access policy
 * enforced MFA or an authentication strength — unless security defaults are on, or the applied policies are not
 * shown (no policy-read permission): then it is not known, and not counted as single-factor.
 */
final class SignInEvidence {

    /** At most this many distinct apps, client apps, locations and IPs are listed per user (the counts are exact). */
    static final int MAX_LISTED = 20;

    /** One user's single-factor sign-ins in the window. */
    static final class SingleFactor {
        final String userId;
        String userPrincipalName;
        String displayName;
        String userType;
        int count;
        Instant first;
        Instant last;
        final Map<String, Integer> byAppAndClient = new HashMap<>();
        final Set<String> apps = new LinkedHashSet<>();
        final Set<String> clientApps = new LinkedHashSet<>();
        final Set<String> locations = new LinkedHashSet<>();
        final Set<String> ipAddresses = new LinkedHashSet<>();

        SingleFactor(String userId) {
            this.userId = userId;
        }

        /** The busiest app × client app pairs, for people: {@code Exchange ActiveSync → Outlook ×120; …}. */
        String detail(int windowDays) {
            List<Map.Entry<String, Integer>> top = new ArrayList<>(byAppAndClient.entrySet());
            top.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            StringBuilder b = new StringBuilder().append(count).append(" successful single-factor sign-in")
                    .append(count == 1 ? "" : "s").append(" in ").append(windowDays).append(" days: ");
            for (int i = 0; i < Math.min(5, top.size()); i++) {
                b.append(i == 0 ? "" : "; ").append(top.get(i).getKey()).append(" ×").append(top.get(i).getValue());
            }
            if (top.size() > 5) {
                b.append("; +").append(top.size() - 5).append(" more");
            }
            return b.toString();
        }
    }

    /** One tracked principal's use in the window. */
    static final class Usage {
        int signIns;
        int singleFactor;
        Instant last;
        Instant lastSingleFactor;
    }

    private final Set<String> trackedUsers;
    private final Set<String> trackedServicePrincipals;
    private final Set<String> trackedApps;
    private final boolean securityDefaults;
    private final Map<String, SingleFactor> singleFactor = new HashMap<>();
    private final Map<String, Usage> usage = new HashMap<>();
    private long read;
    private long singleFactorRead;

    /**
     * @param trackedUsers             user ids whose use is wanted (lower case)
     * @param trackedServicePrincipals service principal object ids whose use is wanted (lower case)
     * @param trackedApps              app ids whose use is wanted, as client or as resource (lower case)
     * @param securityDefaults         security defaults enabled (v1.0 answers cannot then tell single-factor sign-ins)
     */
    SignInEvidence(Set<String> trackedUsers, Set<String> trackedServicePrincipals, Set<String> trackedApps,
                   boolean securityDefaults) {
        this.trackedUsers = trackedUsers;
        this.trackedServicePrincipals = trackedServicePrincipals;
        this.trackedApps = trackedApps;
        this.securityDefaults = securityDefaults;
    }

    /** Folds one sign-in of Graph's answer (v1.0 or beta rendering) in; failed and malformed ones are skipped. */
    void add(JsonNode s) {
        if (s == null || !s.isObject()) {
            return;
        }
        JsonNode error = s.path("status").path("errorCode");
        if (error.isNumber() && error.asInt() != 0) {
            return;
        }
        Instant at = instant(s.path("createdDateTime").asText(null));
        if (at == null) {
            return;
        }
        read++;
        Boolean single = singleFactor(s, securityDefaults);
        boolean sf = Boolean.TRUE.equals(single);
        if (sf) {
            singleFactorRead++;
        }
        String userId = lower(text(s, "userId"));
        String spId = lower(text(s, "servicePrincipalId"));
        String appId = lower(text(s, "appId"));
        String resourceId = lower(text(s, "resourceId"));
        if (userId != null) {
            if (trackedUsers.contains(userId)) {
                use("USER:" + userId, at, sf);
            }
            if (sf) {
                addSingleFactor(userId, s, at);
            }
        } else if (spId != null && trackedServicePrincipals.contains(spId)) {
            use("SERVICE_PRINCIPAL:" + spId, at, sf);
        }
        if (appId != null && trackedApps.contains(appId)) {
            use("APPLICATION:" + appId, at, sf);
        }
        if (resourceId != null && !resourceId.equals(appId) && trackedApps.contains(resourceId)) {
            use("APPLICATION:" + resourceId, at, sf);
        }
    }

    private void use(String key, Instant at, boolean sf) {
        Usage u = usage.computeIfAbsent(key, k -> new Usage());
        u.signIns++;
        if (u.last == null || at.isAfter(u.last)) {
            u.last = at;
        }
        if (sf) {
            u.singleFactor++;
            if (u.lastSingleFactor == null || at.isAfter(u.lastSingleFactor)) {
                u.lastSingleFactor = at;
            }
        }
    }

    private void addSingleFactor(String userId, JsonNode s, Instant at) {
        SingleFactor a = singleFactor.computeIfAbsent(userId, k -> new SingleFactor(text(s, "userId")));
        a.count++;
        if (a.first == null || at.isBefore(a.first)) {
            a.first = at;
        }
        if (a.last == null || !at.isBefore(a.last)) {
            a.last = at;
            a.userPrincipalName = orElse(text(s, "userPrincipalName"), a.userPrincipalName);
            a.displayName = orElse(text(s, "userDisplayName"), a.displayName);
            a.userType = orElse(text(s, "userType"), a.userType);
        }
        String app = orElse(text(s, "appDisplayName"), text(s, "appId"));
        String client = text(s, "clientAppUsed");
        a.byAppAndClient.merge((client == null ? "?" : client) + " → " + (app == null ? "?" : app), 1, Integer::sum);
        listed(a.apps, app);
        listed(a.clientApps, client);
        JsonNode loc = s.path("location");
        String country = text(loc, "countryOrRegion");
        String city = text(loc, "city");
        listed(a.locations, country == null ? null : city == null ? country : city + ", " + country);
        listed(a.ipAddresses, text(s, "ipAddress"));
    }

    /**
     * Whether a successful sign-in was single-factor: TRUE, FALSE, or null when Graph's answer cannot tell.
     */
    static Boolean singleFactor(JsonNode s, boolean securityDefaults) {
        String requirement = text(s, "authenticationRequirement");
        if (requirement != null) {
            if (requirement.equalsIgnoreCase("singleFactorAuthentication")) {
                return Boolean.TRUE;
            }
            return requirement.equalsIgnoreCase("multiFactorAuthentication") ? Boolean.FALSE : null;
        }
        JsonNode applied = s.get("appliedConditionalAccessPolicies");
        if (applied != null && applied.isArray()) {
            for (JsonNode p : applied) {
                if (!"success".equalsIgnoreCase(p.path("result").asText())) {
                    continue;
                }
                for (JsonNode g : p.path("enforcedGrantControls")) {
                    String control = g.asText("").toLowerCase(Locale.ROOT);
                    if (control.equals("mfa") || control.contains("authenticationstrength")) {
                        return Boolean.FALSE;
                    }
                }
            }
        }
        if (securityDefaults || applied == null || !applied.isArray()) {
            return null;
        }
        return Boolean.TRUE;
    }

    long read() {
        return read;
    }

    long singleFactorRead() {
        return singleFactorRead;
    }

    /** The users with single-factor sign-ins, most sign-ins first. */
    List<SingleFactor> singleFactorUsers() {
        List<SingleFactor> out = new ArrayList<>(singleFactor.values());
        out.sort(Comparator.comparingInt((SingleFactor a) -> -a.count).thenComparing(a -> a.userId));
        return out;
    }

    /** A tracked principal's use ({@code USER:id}, {@code SERVICE_PRINCIPAL:id}, {@code APPLICATION:appId}; lower case). */
    Usage usage(String key) {
        return usage.get(key);
    }

    private static void listed(Set<String> set, String value) {
        if (value != null && set.size() < MAX_LISTED) {
            set.add(value);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            return null;
        }
        String t = v.asText().trim();
        return t.isEmpty() ? null : t;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String orElse(String a, String b) {
        return a != null ? a : b;
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
