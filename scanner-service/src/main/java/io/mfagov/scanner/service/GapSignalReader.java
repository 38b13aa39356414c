package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.MissingSignal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.UncoveredUser;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.GraphReads;
import io.mfagov.scanner.graph.GraphReads.JsonStep;
import io.mfagov.scanner.graph.GraphReads.Result;
import io.mfagov.scanner.graph.ReadFailure;
import io.mfagov.scanner.service.ExclusionResolver.Directory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gap signals read after a scan's directory reads, when the scan knows whom they concern:
 * <ul>
 *   <li>per-user MFA state ({@code /beta/users/{id}/authentication/requirements}) of the uncovered users only —
 *       privileged first, at most {@code mfagov.graph.per-user-mfa-limit} a scan; never of every user (there is no
 *       list endpoint, and each read counts against the reports limit);</li>
 *   <li>the successful sign-ins of the window, interactive and non-interactive (and service principals' when an app
 *       or service principal is excluded), from beta's {@code /auditLogs/signIns} with {@code $filter} on time and
 *       result, {@code $select}, 1,000 a page; folded into {@link SignInEvidence} page by page.</li>
 * </ul>
 * The first page of each listing and the per-user MFA reads share beta {@code $batch}es; next pages are followed one by
 * one, paced to Graph's reports limit. Without beta (a stand-in serving v1.0 only) the interactive sign-ins are read from
 * v1.0, single-factor judged from the applied policies, and the non-interactive ones are a missing signal. A refused
 * read (licence, permission) is a missing signal with Graph's reason; nothing is inferred from it.
 */
final class GapSignalReader {

    static final String SIGN_INS = "signIns";
    static final String NON_INTERACTIVE = "nonInteractiveSignIns";
    static final String PER_USER_MFA = "perUserMfa";
    /** Graph's largest page of sign-ins. */
    static final int SIGN_IN_PAGE = 1000;
    /** The sign-in properties the signals use (beta; v1.0 is read without {@code $select}). */
    static final String SIGN_IN_SELECT = "id,createdDateTime,userId,userPrincipalName,userDisplayName,userType,appId,"
            + "appDisplayName,resourceId,clientAppUsed,ipAddress,location,status,isInteractive,authenticationRequirement,"
            + "conditionalAccessStatus,appliedConditionalAccessPolicies,servicePrincipalId";

    /** What the signals gave; sign-in fields are null when the sign-ins were not (completely) read. */
    record Outcome(List<Gap> gaps, List<PrincipalUsage> usage, Set<String> perUserMfaProtected, Integer windowDays,
                   Instant windowStart, Instant windowEnd, Long signInsRead, Long singleFactorSignIns,
                   Integer singleFactorUsers, Integer perUserMfaOnly, List<MissingSignal> missing,
                   List<ReadFailure> failures) {
    }

    private final GraphReads reads;
    private final ScannerSettings settings;
    private final List<MissingSignal> missing = new ArrayList<>();
    private final List<ReadFailure> failures = new ArrayList<>();

    /** Why the sign-ins must not be read (the access check found the permission missing); null = read them. */
    private final String signInsDisabled;

    GapSignalReader(GraphReads reads, ScannerSettings settings) {
        this(reads, settings, null);
    }

    GapSignalReader(GraphReads reads, ScannerSettings settings, String signInsDisabled) {
        this.reads = reads;
        this.settings = settings;
        this.signInsDisabled = signInsDisabled;
    }

    Outcome read(Instant now, List<Detection> detections, CoverageCalculator.Coverage coverage, Directory dir) {
        // whom the signals concern: the excluded principals (evidence of use) and the uncovered users (per-user MFA)
        Map<String, Detection> excludedUsers = new LinkedHashMap<>();
        Set<String> sps = new LinkedHashSet<>();
        Set<String> apps = new LinkedHashSet<>();
        for (Detection d : detections) {
            String id = d.principal().id().toLowerCase(Locale.ROOT);
            switch (d.principal().type()) {
                case USER -> {
                    if (Boolean.TRUE.equals(d.principal().resolved())) {
                        excludedUsers.putIfAbsent(id, d);
                    }
                }
                case SERVICE_PRINCIPAL -> sps.add(id);
                case APPLICATION -> apps.add(id);
                default -> {
                }
            }
        }
        Map<String, UncoveredUser> uncovered = new LinkedHashMap<>();
        if (coverage != null) {
            coverage.uncovered().forEach(u -> uncovered.put(u.id().toLowerCase(Locale.ROOT), u));
        }
        // per-user MFA changes the answer only for users no policy covers (an excluded user another policy covers is
        // protected already): privileged ones first, then those excluded everywhere, at most the per-scan limit
        List<UncoveredUser> byNeed = new ArrayList<>(uncovered.values());
        byNeed.sort(java.util.Comparator.comparing((UncoveredUser u) -> !Boolean.TRUE.equals(u.privileged()))
                .thenComparing(u -> u.reason() != io.mfagov.model.events.UncoveredReason.EXCLUDED_EVERYWHERE));
        Set<String> perUserCandidates = new LinkedHashSet<>();
        byNeed.stream().limit(Math.max(0, settings.perUserMfaLimit()))
                .forEach(u -> perUserCandidates.add(u.id().toLowerCase(Locale.ROOT)));
        if (perUserCandidates.size() < uncovered.size()) {
            missing.add(new MissingSignal(PER_USER_MFA, "read for " + perUserCandidates.size() + " of " + uncovered.size()
                    + " uncovered users (mfagov.graph.per-user-mfa-limit, privileged first); the others count as uncovered"));
        }

        int days = settings.signInWindowDays();
        Instant end = now.truncatedTo(ChronoUnit.SECONDS);
        Instant start = end.minus(Duration.ofDays(days));
        String beta = settings.betaBaseUrl();
        List<JsonStep> steps = new ArrayList<>();
        List<String> listings = new ArrayList<>();
        if (days > 0 && signInsDisabled != null) {
            missing.add(new MissingSignal(SIGN_INS, signInsDisabled));
        } else if (days > 0) {
            listings.add("interactive");
            listings.add("nonInteractiveUser");
            if (!sps.isEmpty() || !apps.isEmpty()) {
                listings.add("servicePrincipal");
            }
            for (String kind : listings) {
                steps.add(new JsonStep("signIns:" + kind, "/auditLogs/signIns?" + signInQuery(kind, start, true, true), true));
            }
        }
        for (String id : perUserCandidates) {
            steps.add(new JsonStep("perUserMfa:" + id, "/users/" + id + "/authentication/requirements", true));
        }
        Map<String, Result<JsonNode>> first = steps.isEmpty() ? Map.of() : reads.jsonBatch(beta, steps);

        // per-user MFA
        Map<String, String> states = perUserStates(first, perUserCandidates);
        List<Gap> gaps = new ArrayList<>();
        Set<String> protectedIds = new LinkedHashSet<>();
        if (states != null) {
            for (String id : perUserCandidates) {
                String state = states.get(id);
                if (!"enabled".equalsIgnoreCase(state) && !"enforced".equalsIgnoreCase(state)) {
                    continue;
                }
                UncoveredUser u = uncovered.get(id);
                Detection d = excludedUsers.get(id);
                String userId = u.id();
                DirObject user = dir.objects.get(userId);
                protectedIds.add(userId);
                String why = (d != null ? "excluded from " + d.policy().displayName() + ", " : "")
                        + "not covered by Conditional Access (" + u.reason().name() + ")";
                gaps.add(new Gap(GapKind.PER_USER_MFA_ONLY, userId, u.userPrincipalName(), u.displayName(), u.userType(),
                        user == null ? u.privileged() : CoverageCalculator.privileged(user, dir),
                        null, null, null, null, null, null, null, null, null, state.toLowerCase(Locale.ROOT),
                        why + "; per-user MFA " + state.toLowerCase(Locale.ROOT) + " requires MFA at sign-in"));
            }
        }

        // sign-ins
        SignInEvidence evidence = new SignInEvidence(excludedUsers.keySet(), sps, apps,
                Boolean.TRUE.equals(dir.securityDefaults));
        boolean complete = days > 0 && signInsDisabled == null;
        boolean anyRead = false;
        for (String kind : listings) {
            Result<JsonNode> r = first.get("signIns:" + kind);
            JsonNode page = r.ok() ? r.value() : null;
            if (!r.ok() && r.failure().kind() == ReadFailure.Kind.REJECTED) {
                // a stand-in refusing a selected property: the same listing without $select, once
                try {
                    page = reads.json("signIns:" + kind + " (without $select)", false, () -> {
                        reads.paceReports(1);
                        return GraphReads.get(beta + "/auditLogs/signIns?" + signInQuery(kind, start, false, true));
                    });
                } catch (ReadFailure f) {
                    r = new Result<>(null, f);
                }
            }
            if (page == null && kind.equals("interactive") && (r.failure().kind() == ReadFailure.Kind.REJECTED
                    || r.failure().kind() == ReadFailure.Kind.NOT_FOUND)) {
                // no beta here: v1.0 has the interactive sign-ins, read with its documented options only
                try {
                    page = reads.json("signIns (v1.0)", false, () -> {
                        reads.paceReports(1);
                        return GraphReads.get(settings.baseUrl() + "/auditLogs/signIns?" + signInQuery(kind, start, false, false));
                    });
                } catch (ReadFailure f) {
                    r = new Result<>(null, f);
                }
            }
            if (page == null) {
                ReadFailure f = r.failure();
                if (f.kind() == ReadFailure.Kind.TRANSIENT) {
                    failures.add(f);
                } else if (kind.equals("interactive")) {
                    missing.add(new MissingSignal(SIGN_INS, reason(f)));
                } else {
                    missing.add(new MissingSignal(kind.equals("servicePrincipal") ? "servicePrincipalSignIns"
                            : NON_INTERACTIVE, reason(f)));
                }
                complete = false;
                if (kind.equals("interactive")) {
                    break; // no licence or permission for sign-ins: the other listings would be refused alike
                }
                continue;
            }
            try {
                follow("signIns:" + kind, page, evidence);
                anyRead = true;
            } catch (ReadFailure f) {
                failures.add(f);
                complete = false;
            }
        }

        List<PrincipalUsage> usage = new ArrayList<>();
        Integer sfUsers = null;
        Long read = null;
        Long sfRead = null;
        if (anyRead) {
            // single-factor sign-ins found are facts even if a listing was cut short; their absence is not
            for (SignInEvidence.SingleFactor a : evidence.singleFactorUsers()) {
                DirObject user = dir.objects.get(a.userId);
                gaps.add(new Gap(GapKind.SINGLE_FACTOR_SIGNINS, a.userId,
                        a.userPrincipalName != null ? a.userPrincipalName : user == null ? null : user.userPrincipalName(),
                        a.displayName != null ? a.displayName : user == null ? null : user.displayName(),
                        a.userType != null ? a.userType : user == null ? null : user.userType(),
                        user == null ? null : CoverageCalculator.privileged(user, dir), a.count, a.first, a.last,
                        List.copyOf(a.apps), List.copyOf(a.clientApps), List.copyOf(a.locations),
                        List.copyOf(a.ipAddresses), null, null, null, a.detail(days)));
            }
        }
        if (anyRead && complete) {
            sfUsers = evidence.singleFactorUsers().size();
            read = evidence.read();
            sfRead = evidence.singleFactorRead();
            excludedUsers.forEach((id, d) -> usage.add(usage(evidence, PrincipalType.USER, d.principal().id(), "USER:" + id, days)));
            Set<String> reported = new java.util.HashSet<>();
            for (Detection d : detections) {
                PrincipalType t = d.principal().type();
                if (t == PrincipalType.SERVICE_PRINCIPAL || t == PrincipalType.APPLICATION) {
                    String key = t.name() + ":" + d.principal().id().toLowerCase(Locale.ROOT);
                    if ((t == PrincipalType.APPLICATION || listings.contains("servicePrincipal")) && reported.add(key)) {
                        usage.add(usage(evidence, t, d.principal().id(), key, days));
                    }
                }
            }
        }
        int perUserOnly = (int) gaps.stream().filter(g -> g.kind() == GapKind.PER_USER_MFA_ONLY).count();
        return new Outcome(gaps, usage, protectedIds, anyRead && complete ? days : null,
                anyRead && complete ? start : null, anyRead && complete ? end : null, read, sfRead, sfUsers,
                states == null ? null : perUserOnly, missing, failures);
    }

    private static PrincipalUsage usage(SignInEvidence evidence, PrincipalType type, String id, String key, int days) {
        SignInEvidence.Usage u = evidence.usage(key);
        return u == null ? new PrincipalUsage(type, id, days, null, null, 0, 0)
                : new PrincipalUsage(type, id, days, u.last, u.lastSingleFactor, u.signIns, u.singleFactor);
    }

    /** Per-user MFA states by user id (lower case); null when the signal could not be read. */
    private Map<String, String> perUserStates(Map<String, Result<JsonNode>> answers, Set<String> ids) {
        Map<String, String> states = new LinkedHashMap<>();
        for (String id : ids) {
            Result<JsonNode> r = answers.get("perUserMfa:" + id);
            if (r.ok()) {
                String state = r.value().path("perUserMfaState").asText(null);
                if (state != null) {
                    states.put(id, state);
                }
                continue;
            }
            ReadFailure f = r.failure();
            if (f.kind() == ReadFailure.Kind.NOT_FOUND && f.getMessage().contains("Request_ResourceNotFound")) {
                continue; // the user was deleted since the directory read
            }
            if (f.kind() == ReadFailure.Kind.TRANSIENT) {
                failures.add(f);
            } else {
                missing.add(new MissingSignal(PER_USER_MFA, reason(f)));
            }
            return null;
        }
        return states;
    }

    /** Graph's answer without the scanner's name of the read (which may carry a user id). */
    private static String reason(ReadFailure f) {
        String m = f.getMessage();
        return m.startsWith(f.read() + ": ") ? m.substring(f.read().length() + 2) : m;
    }

    /** Folds a listing's pages into the evidence, following {@code @odata.nextLink} one page at a time, paced. */
    private void follow(String name, JsonNode page, SignInEvidence evidence) {
        int n = 1;
        while (true) {
            JsonNode value = page.get("value");
            if (value == null || !value.isArray()) {
                throw new ReadFailure(name, ReadFailure.Kind.TRANSIENT, 0, "malformed answer: no value (page " + n + ")");
            }
            value.forEach(evidence::add);
            JsonNode next = page.get("@odata.nextLink");
            if (next == null || !next.isTextual()) {
                return;
            }
            String url = next.asText();
            n++;
            page = reads.json(name + " (page " + n + ")", false, () -> {
                reads.paceReports(1);
                return GraphReads.get(url);
            });
        }
    }

    /**
     * The query of one listing: successful sign-ins since {@code start}; beta listings name their event type (the
     * interactive one is beta's default); {@code select} asks for the properties used only (v1.0, interactive only, is
     * read with Graph's documented options alone: $filter, $top, $skiptoken).
     */
    static String signInQuery(String kind, Instant start, boolean select, boolean beta) {
        String filter = "createdDateTime ge " + start + " and status/errorCode eq 0";
        if (beta && !kind.equals("interactive")) {
            filter = "signInEventTypes/any(t: t eq '" + kind + "') and " + filter;
        }
        return "$filter=" + encode(filter) + (select ? "&$select=" + encode(SIGN_IN_SELECT) : "") + "&$top=" + SIGN_IN_PAGE;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
