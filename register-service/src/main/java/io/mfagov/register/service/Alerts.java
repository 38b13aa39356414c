package io.mfagov.register.service;

import io.mfagov.register.outbox.Outbox;

import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertLink;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.register.api.GapView;
import io.mfagov.register.api.UsageView;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.entity.ScanCoverage;
import io.mfagov.register.entity.UncoveredUserEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Raises alerts through the outbox. Every alertId is deterministic: kind, subject and the date (or
 * scan) that makes it distinct, so a replayed cause yields the same id and the outbox keeps one.
 */
@ApplicationScoped
public class Alerts {

    private final Outbox outbox;
    private final RegisterConfig config;

    public Alerts(Outbox outbox, RegisterConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void unapprovedExclusion(Exclusion e, Instant now) {
        outbox.enqueue(unapprovedExclusionMessage(e, now), now);
    }

    /**
     * The UNAPPROVED_EXCLUSION alert as of now (for {@link Outbox#enqueueAll}): HIGH, one step lower when another
     * policy still requires MFA of the principal ({@code shadowed}).
     */
    public Outbox.Pending unapprovedExclusionMessage(Exclusion e, Instant now) {
        String id = unapprovedExclusionId(e.tenantId, e.id, e.appearedAt);
        String subject = ExclusionFacts.isHole(e)
                ? "MFA policy '" + nvl(e.policyName, e.policyId) + "' leaves out " + ExclusionFacts.hole(e)
                        + " without an approved exception"
                : principal(e) + " is excluded from MFA policy '" + nvl(e.policyName, e.policyId) + "' without an approved exception";
        return build(id, e.tenantId, AlertKind.UNAPPROVED_EXCLUSION, unapprovedExclusionSeverity(e.shadowed), subject,
                e.id, null, facts(e), now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void exclusionRemoved(Exclusion e, UUID scanId, Instant now) {
        outbox.enqueue(exclusionRemovedMessage(e, scanId, now), now);
    }

    /** The EXCLUSION_REMOVED alert as of now (for {@link Outbox#enqueueAll}). */
    public Outbox.Pending exclusionRemovedMessage(Exclusion e, UUID scanId, Instant now) {
        String id = exclusionRemovedId(e.tenantId, e.id, scanId);
        return build(id, e.tenantId, AlertKind.EXCLUSION_REMOVED, Severity.INFO,
                ExclusionFacts.isHole(e)
                        ? "MFA policy '" + nvl(e.policyName, e.policyId) + "' no longer leaves out " + ExclusionFacts.hole(e)
                        : principal(e) + " is no longer excluded from '" + nvl(e.policyName, e.policyId) + "'",
                e.id, e.exceptionId == null ? null : e.exceptionId.toString(), facts(e), now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void scanFailed(String tenantId, UUID scanId, String error, Instant now) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", tenantId);
        facts.put("Scan", scanId.toString());
        facts.put("Reason", nvl(error, "unknown"));
        raise(scanFailedId(tenantId, scanId), tenantId, AlertKind.SCAN_FAILED, Severity.MEDIUM,
                "Scan of tenant " + tenantId + " failed: " + nvl(error, "unknown"), null, null, facts, now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void expiring(ExceptionRecord x, int daysAhead, Instant now) {
        raise(expiringId(x.id, daysAhead, x.expiresAt), x.tenantId, AlertKind.EXPIRING, expiringSeverity(daysAhead),
                "MFA exception " + describe(x) + " expires on " + day(x.expiresAt), null, x.id.toString(), facts(x), now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void expired(ExceptionRecord x, Instant now) {
        raise(expiredId(x.id, x.expiresAt), x.tenantId, AlertKind.EXPIRED, Severity.HIGH,
                "MFA exception " + describe(x) + " expired on " + day(x.expiresAt) + "; its exclusions are no longer approved",
                null, x.id.toString(), facts(x), now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void reviewDue(ExceptionRecord x, Instant now) {
        raise(reviewDueId(x.id, x.nextReviewAt), x.tenantId, AlertKind.REVIEW_DUE, Severity.LOW,
                "MFA exception " + describe(x) + " is due for review since " + day(x.nextReviewAt), null, x.id.toString(),
                facts(x), now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void orphaned(ExceptionRecord x, UUID scanId, Instant now) {
        raise(orphanedId(x.id, scanId), x.tenantId, AlertKind.ORPHANED_EXCEPTION, Severity.LOW,
                "MFA exception " + describe(x) + " covers no exclusion any more; revoke it", null, x.id.toString(),
                facts(x), now);
    }

    /**
     * NO_MFA_ENFORCEMENT (CRITICAL) for a scan whose coverage found that nothing in the tenant requires MFA: no enabled
     * MFA policy and security defaults off.
     */
    public Outbox.Pending noMfaEnforcementMessage(ScanCoverage c, String tenantName, long privilegedUncovered, Instant now) {
        String tenant = nvl(tenantName, c.tenantId);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", c.tenantId);
        if (tenantName != null && !tenantName.isBlank()) {
            facts.put("Tenant name", tenantName);
        }
        facts.put("Security defaults", c.securityDefaultsEnabled == null ? "unknown" : c.securityDefaultsEnabled ? "on" : "off");
        facts.put("Enabled MFA policies", Integer.toString(c.enabledMfaPolicies));
        facts.put("Report-only MFA policies", Integer.toString(c.reportOnlyMfaPolicies));
        facts.put("Uncovered users", c.uncoveredUserCount + (c.enabledUsers == null ? "" : " of " + c.enabledUsers)
                + (privilegedUncovered > 0 ? ", " + privilegedUncovered + " privileged" : ""));
        facts.put("Scan", c.scanId.toString());
        String subject = tenant + " enforces no MFA: no enabled MFA policy and security defaults are off"
                + (c.reportOnlyMfaPolicies > 0 ? " (" + c.reportOnlyMfaPolicies + " report-only "
                + (c.reportOnlyMfaPolicies == 1 ? "policy enforces" : "policies enforce") + " nothing)" : "");
        return build(noMfaEnforcementId(c.tenantId, c.scanId), c.tenantId, AlertKind.NO_MFA_ENFORCEMENT,
                Severity.CRITICAL, subject, null, null, facts, coverageLinks(c.tenantId), now);
    }

    /** UNCOVERED_PRIVILEGED_USER (HIGH) for a user holding a directory role whom no enabled MFA policy covers. */
    public Outbox.Pending uncoveredPrivilegedUserMessage(ScanCoverage c, String tenantName, UncoveredUserEntry u,
            Instant now) {
        String user = nvl(u.userPrincipalName, nvl(u.displayName, u.userId));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", c.tenantId);
        if (tenantName != null && !tenantName.isBlank()) {
            facts.put("Tenant name", tenantName);
        }
        facts.put("User", user);
        if (u.displayName != null && !u.displayName.equals(user)) {
            facts.put("Display name", u.displayName);
        }
        facts.put("User id", u.userId);
        if (u.userType != null) {
            facts.put("User type", u.userType);
        }
        facts.put("Reason", u.reason + ": " + uncoveredReason(u.reason));
        facts.put("Scan", c.scanId.toString());
        return build(uncoveredPrivilegedUserId(c.tenantId, u.userId, c.scanId), c.tenantId,
                AlertKind.UNCOVERED_PRIVILEGED_USER, Severity.HIGH,
                "Privileged user " + user + " in " + nvl(tenantName, c.tenantId) + " is not covered by MFA: "
                        + uncoveredReason(u.reason), null, null, facts, coverageLinks(c.tenantId), now);
    }

    /** The fact every gap-signal alert carries: what a person should do about it (notifier shows it apart). */
    public static final String SUGGESTED_ACTION = AlertRaised.SUGGESTED_ACTION;

    /**
     * UNUSED_EXCEPTION (LOW): an approved exception one of whose excluded principals has not signed in for the
     * configured period; suggests retiring it. Once per exception, principal and last sign-in seen ({@code none} when
     * none was ever seen): raised again only after the principal was used and then went unused again.
     */
    public Outbox.Pending unusedExceptionMessage(ExceptionRecord x, Exclusion e, UsageView u, List<String> policies,
            RiskScore.Result risk, String tenantName, Instant now) {
        String who = principal(e);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", x.tenantId);
        if (tenantName != null && !tenantName.isBlank()) {
            facts.put("Tenant name", tenantName);
        }
        facts.put("Principal", who);
        facts.put("Principal type", e.principalType);
        facts.put("Principal id", e.principalId);
        facts.put("Category", x.category);
        facts.put("Policies", String.join(", ", policies));
        facts.put("Last sign-in", u.lastSignIn() == null ? "none seen" : u.lastSignIn().toString());
        facts.put("Unused for", u.lastSignIn() == null
                ? "no sign-in in " + u.historyDays() + " days of history (threshold " + u.unusedAfterDays() + " days)"
                : u.daysSinceLastSignIn() + " days (threshold " + u.unusedAfterDays() + " days)");
        facts.put("Sign-in history", u.historyDays() + " days, since " + day(u.historyStart()));
        facts.put("Risk score", riskText(risk));
        facts.put("Expiry", x.expiresAt.toString());
        if (x.ticketRef != null) {
            facts.put("Ticket", x.ticketRef);
        }
        facts.put(SUGGESTED_ACTION, "Retire the exception: revoke it in the register and remove " + who
                + " from the policy's exclusions (nobody has used it for " + u.unusedAfterDays() + " days)");
        String subject = "MFA exception " + describe(x) + " for " + who + " is unused: "
                + (u.lastSignIn() == null ? "no sign-in in " + u.historyDays() + " days"
                : "no sign-in since " + day(u.lastSignIn())) + "; retire it";
        return build(unusedExceptionId(x.id, e.principalType, e.principalId, u.lastSignIn()), x.tenantId,
                AlertKind.UNUSED_EXCEPTION, Severity.LOW, subject, null, x.id.toString(), facts, now);
    }

    /**
     * SINGLE_FACTOR_SIGNINS: a user's successful single-factor sign-ins in the scan's window, new or rising; HIGH for
     * a privileged user, else MEDIUM. {@code previousCount} null: none in the previous scan that read sign-ins.
     */
    public Outbox.Pending singleFactorSignInsMessage(UUID scanId, GapView g, Integer previousCount, List<String> exclusions,
            String tenantId, String tenantName, Instant now) {
        String user = nvl(g.userPrincipalName(), nvl(g.displayName(), g.userId()));
        boolean privileged = Boolean.TRUE.equals(g.privileged());
        Map<String, String> facts = userFacts(tenantId, tenantName, g);
        int count = g.count() == null ? 0 : g.count();
        facts.put("Single-factor sign-ins", count + (previousCount == null ? " (new)" : " (previous scan: " + previousCount + ")"));
        facts.put("Apps", g.apps().isEmpty() ? "unknown" : String.join(", ", g.apps()));
        facts.put("Client apps", g.clientApps().isEmpty() ? "unknown" : String.join(", ", g.clientApps()));
        if (g.firstSeen() != null) {
            facts.put("First seen", g.firstSeen().toString());
        }
        if (g.lastSeen() != null) {
            facts.put("Last seen", g.lastSeen().toString());
        }
        facts.put("Privileged", g.privileged() == null ? "unknown" : privileged ? "yes" : "no");
        facts.put("Excluded", exclusions.isEmpty() ? "no" : String.join("; ", exclusions));
        facts.put("Scan", scanId.toString());
        facts.put(SUGGESTED_ACTION, "Find out what signs in without MFA (the client apps above: legacy protocols, an"
                + " exclusion or a policy hole), then close that way or document it as an approved exception");
        String subject = (privileged ? "Privileged user " : "User ") + user + " in " + nvl(tenantName, tenantId) + " "
                + (previousCount == null ? "signed in without MFA " + count + (count == 1 ? " time" : " times")
                : "signs in without MFA more often: " + count + " times, was " + previousCount)
                + " in the sign-in window";
        return build(singleFactorSignInsId(tenantId, g.userId(), scanId), tenantId, AlertKind.SINGLE_FACTOR_SIGNINS,
                privileged ? Severity.HIGH : Severity.MEDIUM, subject, null, null, facts,
                gapLinks(tenantId, "SINGLE_FACTOR_SIGNINS"), now);
    }

    /** NOT_REGISTERED_PRIVILEGED (HIGH): a privileged user who has no MFA method, or none the policy allows. */
    public Outbox.Pending notRegisteredPrivilegedMessage(UUID scanId, GapView g, String tenantId, String tenantName,
            Instant now) {
        String user = nvl(g.userPrincipalName(), nvl(g.displayName(), g.userId()));
        Map<String, String> facts = userFacts(tenantId, tenantName, g);
        boolean notRegistered = "NOT_REGISTERED".equals(g.kind());
        facts.put("Gap", g.kind() + ": " + (notRegistered ? "no MFA method registered" : "registered, but no method"
                + " the authentication methods policy allows"));
        if (g.defaultMethod() != null) {
            facts.put("Default method", g.defaultMethod());
        }
        if (!g.methodsRegistered().isEmpty()) {
            facts.put("Methods registered", String.join(", ", g.methodsRegistered()));
        }
        if (g.detail() != null) {
            facts.put("Detail", g.detail());
        }
        facts.put("Scan", scanId.toString());
        facts.put(SUGGESTED_ACTION, "Have " + user + " register a phishing-resistant MFA method now, or remove the"
                + " admin role until they have");
        return build(notRegisteredPrivilegedId(tenantId, g.userId(), scanId), tenantId,
                AlertKind.NOT_REGISTERED_PRIVILEGED, Severity.HIGH,
                "Privileged user " + user + " in " + nvl(tenantName, tenantId) + " cannot do MFA: "
                        + (notRegistered ? "no MFA method registered" : "no usable MFA method"),
                null, null, facts, gapLinks(tenantId, g.kind()), now);
    }

    private static Map<String, String> userFacts(String tenantId, String tenantName, GapView g) {
        String user = nvl(g.userPrincipalName(), nvl(g.displayName(), g.userId()));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", tenantId);
        if (tenantName != null && !tenantName.isBlank()) {
            facts.put("Tenant name", tenantName);
        }
        facts.put("User", user);
        if (g.displayName() != null && !g.displayName().equals(user)) {
            facts.put("Display name", g.displayName());
        }
        facts.put("User id", g.userId());
        if (g.userType() != null) {
            facts.put("User type", g.userType());
        }
        return facts;
    }

    private List<AlertLink> gapLinks(String tenantId, String kind) {
        return config.publicUrl()
                .map(base -> base.replaceAll("/+$", ""))
                .filter(base -> !base.isBlank())
                .map(base -> List.of(new AlertLink("Open the tenant's MFA gaps",
                        base + "/api/v1/tenants/" + tenantId + "/gaps?kind=" + kind)))
                .orElse(List.of());
    }

    /** Why a user is uncovered, for people. */
    static String uncoveredReason(String reason) {
        return switch (reason == null ? "UNKNOWN" : reason) {
            case "EXCLUDED_EVERYWHERE" -> "excluded from every MFA policy that includes them";
            case "IN_NO_INCLUDE" -> "no enabled MFA policy includes them";
            case "ONLY_REPORT_ONLY" -> "only report-only MFA policies reach them, and those enforce nothing";
            case "ONLY_PARTIAL_POLICIES" -> "only MFA policies with a hole (apps, conditions or a non-MFA alternative) reach them";
            default -> "no enabled MFA policy covers them";
        };
    }

    private List<AlertLink> coverageLinks(String tenantId) {
        return config.publicUrl()
                .map(base -> base.replaceAll("/+$", ""))
                .map(base -> List.of(new AlertLink("Open the tenant's coverage", base + "/api/v1/tenants/" + tenantId + "/coverage")))
                .orElse(List.of());
    }

    private void raise(String alertId, String tenantId, AlertKind kind, Severity severity, String subject,
            UUID exclusionId, String exceptionId, Map<String, String> facts, Instant now) {
        outbox.enqueue(build(alertId, tenantId, kind, severity, subject, exclusionId, exceptionId, facts, now), now);
    }

    private Outbox.Pending build(String alertId, String tenantId, AlertKind kind, Severity severity, String subject,
            UUID exclusionId, String exceptionId, Map<String, String> facts, Instant now) {
        return build(alertId, tenantId, kind, severity, subject, exclusionId, exceptionId, facts, null, now);
    }

    private Outbox.Pending build(String alertId, String tenantId, AlertKind kind, Severity severity, String subject,
            UUID exclusionId, String exceptionId, Map<String, String> facts, List<AlertLink> givenLinks, Instant now) {
        List<AlertLink> links = givenLinks != null ? givenLinks : config.publicUrl()
                .map(base -> base.replaceAll("/+$", ""))
                .map(base -> exceptionId != null
                        ? List.of(new AlertLink("Open the exception", base + "/api/v1/exceptions/" + exceptionId))
                        : exclusionId != null
                        ? List.of(new AlertLink("Open the exclusion", base + "/api/v1/exclusions/" + exclusionId))
                        : List.<AlertLink>of())
                .orElse(List.of());
        AlertRaised alert = new AlertRaised(alertId, tenantId, kind, severity, subject,
                exclusionId == null ? null : exclusionId.toString(), exceptionId, facts, links, now);
        return new Outbox.Pending(alertId, alert);
    }

    // Alert ids: what makes one event distinct, so the same cause always yields the same id (the outbox keeps one).

    /** Once per appearance: a re-appearance on a later day is a new event. */
    static String unapprovedExclusionId(String tenantId, UUID exclusionId, Instant appearedAt) {
        return "UNAPPROVED_EXCLUSION:" + tenantId + ":" + exclusionId + ":" + day(appearedAt);
    }

    /** HIGH; MEDIUM when shadowed: another enabled, hole-free all-apps MFA policy still requires MFA of the principal. */
    static Severity unapprovedExclusionSeverity(Boolean shadowed) {
        return Boolean.TRUE.equals(shadowed) ? lower(Severity.HIGH) : Severity.HIGH;
    }

    /** One step less urgent (INFO stays INFO). */
    static Severity lower(Severity severity) {
        return switch (severity) {
            case CRITICAL -> Severity.HIGH;
            case HIGH -> Severity.MEDIUM;
            case MEDIUM -> Severity.LOW;
            case LOW, INFO, UNKNOWN -> Severity.INFO;
        };
    }

    /**
     * Once per scan where the finding is present and was not in the previous COMPLETE scan: a replayed scan yields the
     * same id; after it cleared, the scan where it is back yields a new one.
     */
    static String noMfaEnforcementId(String tenantId, UUID scanId) {
        return "NO_MFA_ENFORCEMENT:" + tenantId + ":" + scanId;
    }

    /** Once per user and scan where the user became an uncovered privileged user (same rule as above). */
    static String uncoveredPrivilegedUserId(String tenantId, String userId, UUID scanId) {
        return "UNCOVERED_PRIVILEGED_USER:" + tenantId + ":" + userId + ":" + scanId;
    }

    /**
     * Once per exception, principal and last sign-in seen: while the principal stays unused every scan yields the same
     * id; once it signs in again and then goes unused, the last sign-in (and so the id) is another.
     */
    /** {@code 45/100 (privileged role +25, no expiry +10, …)}: the score of docs/risk-score.md and its factors. */
    static String riskText(RiskScore.Result risk) {
        return risk.score() + "/100" + (risk.factors().isEmpty() ? "" : " (" + String.join(", ", risk.factors().stream()
                .map(p -> p.factor().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " +" + p.points())
                .toList()) + ")");
    }

    static String unusedExceptionId(UUID exceptionId, String principalType, String principalId, Instant lastSignIn) {
        return "UNUSED_EXCEPTION:" + exceptionId + ":" + principalType + ":" + principalId + ":" + day(lastSignIn);
    }

    /** Once per user and scan where their single-factor sign-ins are new or rising (a replayed scan: the same id). */
    static String singleFactorSignInsId(String tenantId, String userId, UUID scanId) {
        return "SINGLE_FACTOR_SIGNINS:" + tenantId + ":" + userId + ":" + scanId;
    }

    /** Once per user and scan where a privileged user's episode without usable MFA began. */
    static String notRegisteredPrivilegedId(String tenantId, String userId, UUID scanId) {
        return "NOT_REGISTERED_PRIVILEGED:" + tenantId + ":" + userId + ":" + scanId;
    }

    /** Once per removing scan. */
    static String exclusionRemovedId(String tenantId, UUID exclusionId, UUID scanId) {
        return "EXCLUSION_REMOVED:" + tenantId + ":" + exclusionId + ":" + scanId;
    }

    /** Once per failed scan (raised only for the first failure of a streak). */
    static String scanFailedId(String tenantId, UUID scanId) {
        return "SCAN_FAILED:" + tenantId + ":" + scanId;
    }

    /** Once per warning (T-14, T-3, ...) and expiry date: a renewal's new date warns again. */
    static String expiringId(UUID exceptionId, int daysAhead, Instant expiresAt) {
        return "EXPIRING:" + exceptionId + ":T-" + daysAhead + ":" + day(expiresAt);
    }

    /** The last warning days (3 or fewer) are HIGH, earlier ones MEDIUM. */
    static Severity expiringSeverity(int daysAhead) {
        return daysAhead <= 3 ? Severity.HIGH : Severity.MEDIUM;
    }

    static String expiredId(UUID exceptionId, Instant expiresAt) {
        return "EXPIRED:" + exceptionId + ":" + day(expiresAt);
    }

    /** Once per review date: a review moves the date and so allows the next one. */
    static String reviewDueId(UUID exceptionId, Instant nextReviewAt) {
        return "REVIEW_DUE:" + exceptionId + ":" + day(nextReviewAt);
    }

    static String orphanedId(UUID exceptionId, UUID scanId) {
        return "ORPHANED_EXCEPTION:" + exceptionId + ":" + scanId;
    }

    static String day(Instant instant) {
        return instant == null ? "none" : LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    private static String principal(Exclusion e) {
        return nvl(e.principalUpn, nvl(e.principalDisplayName, e.principalType.toLowerCase() + " " + e.principalId));
    }

    private static String describe(ExceptionRecord x) {
        return x.category + " " + x.id;
    }

    private static Map<String, String> facts(Exclusion e) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", e.tenantId);
        facts.put("Principal", principal(e));
        facts.put("Policy", nvl(e.policyName, e.policyId));
        facts.put("Path", e.viaPath);
        facts.put("Status", e.status);
        if (e.expiresAt != null) {
            facts.put("Expiry", e.expiresAt.toString());
        }
        if (e.policyTarget != null && !"allApps".equals(e.policyTarget)) {
            facts.put("Policy target", e.policyTarget);
        }
        if (e.policyCustomControl != null) {
            facts.put("Custom control", e.policyCustomControl);
        }
        if (Boolean.TRUE.equals(e.eligible)) {
            facts.put("PIM", "through an eligible (not active) assignment");
        }
        if (Boolean.TRUE.equals(e.shadowed)) {
            facts.put("Shadowed", "another enabled MFA policy for all cloud apps still requires MFA");
        }
        Map<String, String> details = e.detailsMap();
        if (!details.isEmpty()) {
            facts.put("Details", ExclusionFacts.details(details));
        }
        List<String> flags = e.flagList();
        if (!flags.isEmpty()) {
            facts.put("Flags", ExclusionFacts.flags(flags));
        }
        return facts;
    }

    private static Map<String, String> facts(ExceptionRecord x) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", x.tenantId);
        facts.put("Category", x.category);
        facts.put("Principals", String.join(", ", x.principals.stream()
                .map(p -> nvl(p.displayName, p.principalId)).toList()));
        facts.put("Policy", x.policyId == null ? "all policies" : x.policyId);
        facts.put("Status", x.status);
        facts.put("Expiry", x.expiresAt.toString());
        if (x.ticketRef != null) {
            facts.put("Ticket", x.ticketRef);
        }
        return facts;
    }

    private static String nvl(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    // --- Remediation (issue 15): ids carry the remediation and the request answered (RemediationRules) -------------

    /**
     * REMEDIATION_PLANNED (MEDIUM): a removal (or, with {@code rollback}, its rollback) waits for an approver, or
     * (MANUAL plans) for a person to follow the steps.
     */
    public Outbox.Pending remediationPlanned(io.mfagov.register.entity.Remediation r,
            io.mfagov.model.events.RemediationPlan plan, UUID requestId, String replanReason, Instant now) {
        boolean manual = plan.kind() == io.mfagov.model.events.PlanKind.MANUAL;
        boolean rollback = io.mfagov.register.entity.Remediation.Status.ROLLBACK_PLANNED.name().equals(r.status);
        Map<String, String> facts = remediationFacts(r, plan.kind().name());
        if (plan.why() != null) {
            facts.put("Why", plan.why());
        }
        if (!plan.steps().isEmpty()) {
            facts.put("Steps", String.join("\n", plan.steps()));
        }
        if (plan.patchBody() != null) {
            facts.put("Planned change (dry run)", "PATCH /identity/conditionalAccess/policies/" + plan.policyId() + " "
                    + cap(plan.patchBody().toString(), 2000));
        }
        if (replanReason != null) {
            facts.put("Re-planned because", replanReason);
        }
        facts.put(AlertRaised.SUGGESTED_ACTION, manual
                ? "Make the change by hand as the steps say; the next scan that no longer finds the exclusion confirms it"
                : rollback ? "Approve or reject the rollback (another approver than who asked for it)"
                : "Review the dry run and approve or reject the removal (another approver than who asked for it)");
        String subject = (manual ? "Manual removal needed: " : rollback ? "Rollback waits for approval: " : "Removal waits for approval: ")
                + nvl(r.principalName, r.principalId) + " from MFA policy '" + nvl(r.policyName, r.policyId) + "'"
                + (replanReason != null ? " (re-planned: the policy changed)" : "");
        return build(RemediationRules.plannedAlertId(r.id, requestId), r.tenantId, AlertKind.REMEDIATION_PLANNED,
                Severity.MEDIUM, subject, r.exclusionId, r.exceptionId == null ? null : r.exceptionId.toString(), facts,
                remediationLinks(r), now);
    }

    /** REMEDIATION_APPLIED (LOW): the removal (or its rollback) was written and verified. */
    public Outbox.Pending remediationApplied(io.mfagov.register.entity.Remediation r,
            io.mfagov.model.events.RemediationApplied a, Instant now) {
        boolean rollback = a.mode() == io.mfagov.model.events.RemediationMode.ROLLBACK;
        Map<String, String> facts = remediationFacts(r, a.kind().name());
        facts.put("List", nvl(a.listName(), "-"));
        facts.put("Before", String.join(", ", a.before()));
        facts.put("After", String.join(", ", a.after()));
        facts.put(AlertRaised.SUGGESTED_ACTION, rollback ? "None: the exclusion is back as it was"
                : "None: the next scan confirms the removal; roll it back if it was wrong");
        String subject = (rollback ? "Rolled back: " + nvl(r.principalName, r.principalId) + " is excluded again from"
                : "Removed: " + nvl(r.principalName, r.principalId) + " is no longer excluded from")
                + " MFA policy '" + nvl(r.policyName, r.policyId) + "'";
        return build(RemediationRules.appliedAlertId(r.id, a.requestId()), r.tenantId, AlertKind.REMEDIATION_APPLIED,
                Severity.LOW, subject, r.exclusionId, r.exceptionId == null ? null : r.exceptionId.toString(), facts,
                remediationLinks(r), now);
    }

    /**
     * REMEDIATION_CONFLICT (HIGH): something besides the intended change differs after the write (a concurrent edit raced
     * it); both versions of the policy are in the facts (capped) and on the remediation; offered for rollback.
     */
    public Outbox.Pending remediationConflict(io.mfagov.register.entity.Remediation r,
            io.mfagov.model.events.RemediationApplied a, Instant now) {
        Map<String, String> facts = remediationFacts(r, a.kind().name());
        facts.put("Unexpected changes", String.join(", ", a.unexpectedChanges()));
        facts.put("Policy before", a.policyBefore() == null ? "-" : cap(a.policyBefore().toString(), 3000));
        facts.put("Policy after", a.policyAfter() == null ? "-" : cap(a.policyAfter().toString(), 3000));
        facts.put(AlertRaised.SUGGESTED_ACTION, "Check who else changed the policy; roll the removal back"
                + " (POST /api/v1/remediations/" + r.id + "/rollback) if the result is wrong");
        return build(RemediationRules.conflictAlertId(r.id, a.requestId()), r.tenantId, AlertKind.REMEDIATION_CONFLICT,
                Severity.HIGH, "Conflict: MFA policy '" + nvl(r.policyName, r.policyId) + "' changed besides the removal of "
                        + nvl(r.principalName, r.principalId) + " (" + a.unexpectedChanges().size() + " unexpected change"
                        + (a.unexpectedChanges().size() == 1 ? "" : "s") + ")",
                r.exclusionId, r.exceptionId == null ? null : r.exceptionId.toString(), facts, remediationLinks(r), now);
    }

    /** REMEDIATION_FAILED (HIGH): nothing was written; for ENFORCEMENT_NOT_PERMITTED, the permissions to grant. */
    public Outbox.Pending remediationFailed(io.mfagov.register.entity.Remediation r,
            io.mfagov.model.events.RemediationFailed f, Instant now) {
        Map<String, String> facts = remediationFacts(r, nvl(r.planKind, "-"));
        facts.put("Failure", f.reason().name());
        facts.put("Message", cap(f.message(), 2000));
        if (!f.missingPermissions().isEmpty()) {
            facts.put("Missing permissions", String.join(", ", f.missingPermissions()));
        }
        facts.put(AlertRaised.SUGGESTED_ACTION, RemediationRules.suggestedAction(f.reason(), f.missingPermissions()));
        String what = f.reason() == io.mfagov.model.events.RemediationFailure.ENFORCEMENT_NOT_PERMITTED
                ? "enforcement not permitted in the tenant"
                : f.reason() == io.mfagov.model.events.RemediationFailure.PROTECTED_PRINCIPAL
                ? "it would remove a break-glass exclusion" : f.reason().name();
        return build(RemediationRules.failedAlertId(r.id, f.requestId()), r.tenantId, AlertKind.REMEDIATION_FAILED,
                RemediationRules.failureSeverity(f.reason()), "Not removed: " + nvl(r.principalName, r.principalId)
                        + " from MFA policy '" + nvl(r.policyName, r.policyId) + "' (" + what + ")",
                r.exclusionId, r.exceptionId == null ? null : r.exceptionId.toString(), facts, remediationLinks(r), now);
    }

    private static Map<String, String> remediationFacts(io.mfagov.register.entity.Remediation r, String planKind) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", r.tenantId);
        facts.put("Policy", nvl(r.policyName, r.policyId) + " (" + r.policyId + ")");
        facts.put("Principal", nvl(r.principalName, r.principalId) + " (" + r.principalType + " " + r.principalId + ")");
        facts.put("Path", nvl(r.viaPath, r.viaKind));
        facts.put("Reason", r.reason);
        facts.put("Plan kind", planKind);
        facts.put("Remediation", r.id.toString());
        return facts;
    }

    private List<AlertLink> remediationLinks(io.mfagov.register.entity.Remediation r) {
        return config.publicUrl().filter(base -> !base.isBlank())
                .map(base -> base.replaceAll("/+$", ""))
                .map(base -> List.of(new AlertLink("Open the remediation", base + "/api/v1/remediations/" + r.id)))
                .orElse(List.of());
    }

    private static String cap(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }

    // --- Onboarding (issue 16): access, discovery, relationships ------------------------------------------------

    /**
     * ACCESS_PROBLEM: the app cannot read the tenant fully (no consent, permissions missing, credentials rejected,
     * tenant gone); HIGH when the scan failed for it, else MEDIUM. Once per episode: the id carries the scan that began
     * it ({@link TenantAccess}). The admin-consent URL is the first link.
     */
    public Outbox.Pending accessProblemMessage(String tenantId, String tenantName, io.mfagov.model.events.ScanCompleted c,
            List<String> toGrant, Instant now) {
        io.mfagov.model.events.AccessStatus status = c.accessStatus();
        String tenant = nvl(tenantName, tenantId);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", tenantId);
        if (tenantName != null && !tenantName.isBlank()) {
            facts.put("Tenant name", tenantName);
        }
        facts.put("Access", status.name());
        facts.put("Reason", OnboardingRules.reason(status));
        if (c.error() != null && !c.error().isBlank()) {
            facts.put("Detail", cap(c.error(), 1000));
        }
        if (!toGrant.isEmpty()) {
            facts.put("Permissions to grant", String.join(", ", toGrant));
        }
        if (!c.disabledReads().isEmpty()) {
            facts.put("Reads skipped", String.join(", ", c.disabledReads()));
        }
        if (status == io.mfagov.model.events.AccessStatus.NO_CONSENT
                || status == io.mfagov.model.events.AccessStatus.MISSING_PERMISSIONS) {
            facts.put("Who can grant", OnboardingRules.WHO_CAN_GRANT);
            if (c.consentUrl() != null && !c.consentUrl().isBlank()) {
                facts.put("Admin-consent URL", c.consentUrl());
            }
        }
        facts.put("Scan", c.scanId() + " (" + c.status() + ")");
        String action = OnboardingRules.action(status, c.consentUrl(), toGrant);
        if (action != null) {
            facts.put(SUGGESTED_ACTION, action);
        }
        String what = switch (status) {
            case NO_CONSENT -> "the app has no admin consent there";
            case MISSING_PERMISSIONS -> "the app lacks " + String.join(", ", toGrant);
            case CREDENTIALS_REJECTED -> "Entra rejected the app's credential";
            case NO_CREDENTIALS -> "no credential set is configured for it";
            case TENANT_NOT_FOUND -> "Entra does not know the tenant";
            default -> OnboardingRules.reason(status);
        };
        java.util.ArrayList<AlertLink> links = new java.util.ArrayList<>();
        if (c.consentUrl() != null && c.consentUrl().startsWith("https://")
                && (status == io.mfagov.model.events.AccessStatus.NO_CONSENT
                || status == io.mfagov.model.events.AccessStatus.MISSING_PERMISSIONS)) {
            links.add(new AlertLink("Grant admin consent", c.consentUrl()));
        }
        links.addAll(tenantLinks(tenantId));
        return build(accessProblemId(tenantId, status.name(), c.scanId()), tenantId, AlertKind.ACCESS_PROBLEM,
                c.status() == io.mfagov.model.events.ScanStatus.FAILED ? Severity.HIGH : Severity.MEDIUM,
                (c.status() == io.mfagov.model.events.ScanStatus.FAILED ? tenant + " cannot be scanned: "
                        : tenant + " is scanned without some reads: ") + what, null, null, facts, links, now);
    }

    /**
     * ACCESS_PROBLEM (HIGH) for the partner tenant: a discovery could not read its contracts or relationships. Once per
     * episode ({@link Discoveries}); the id carries the discovery that began it.
     */
    public Outbox.Pending partnerAccessProblemMessage(io.mfagov.model.events.DiscoveryCompleted d, List<String> toGrant,
            Instant now) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", d.tenantId());
        facts.put("Role", "partner tenant (the MSP's own): discovery of customers");
        facts.put("Access", d.accessStatus().name());
        facts.put("Reason", OnboardingRules.reason(d.accessStatus()));
        if (d.error() != null && !d.error().isBlank()) {
            facts.put("Detail", cap(d.error(), 1000));
        }
        if (!toGrant.isEmpty()) {
            facts.put("Permissions to grant", String.join(", ", toGrant));
            facts.put("Who can grant", OnboardingRules.WHO_CAN_GRANT);
        }
        if (!d.failedReads().isEmpty()) {
            facts.put("Failed reads", String.join(", ", d.failedReads()));
        }
        facts.put("Discovery", d.discoveryId() + " (" + d.status() + ")");
        String action = OnboardingRules.action(d.accessStatus(), null, toGrant);
        if (action != null) {
            facts.put(SUGGESTED_ACTION, action);
        }
        return build("ACCESS_PROBLEM:" + d.tenantId() + ":" + d.accessStatus().name() + ":discovery:" + d.discoveryId(),
                d.tenantId(), AlertKind.ACCESS_PROBLEM, Severity.HIGH, "Customer discovery cannot read the partner tenant: "
                        + (toGrant.isEmpty() ? OnboardingRules.reason(d.accessStatus()) : "the app lacks " + String.join(", ", toGrant)),
                null, null, facts, List.of(), now);
    }

    /** TENANT_DISCOVERED (INFO, or LOW when registered disabled: someone must enable it). Once per tenant and discovery. */
    public Outbox.Pending tenantDiscoveredMessage(io.mfagov.model.events.CustomerDiscovered d, boolean enabled,
            String relationshipStatus, Instant now) {
        Map<String, String> facts = discoveryFacts(d, relationshipStatus);
        facts.put("Registered", enabled ? "enabled: scanned on the default schedule"
                : "disabled: proposed, not scanned until an admin enables it");
        boolean consent = d.consentUrl() != null && d.consentUrl().startsWith("https://")
                && (d.accessStatus() == io.mfagov.model.events.AccessStatus.NO_CONSENT
                || d.accessStatus() == io.mfagov.model.events.AccessStatus.MISSING_PERMISSIONS);
        if (consent) {
            facts.put("Who can grant", OnboardingRules.WHO_CAN_GRANT);
            facts.put("Admin-consent URL", d.consentUrl());
        }
        String onboarding = consent ? OnboardingRules.action(d.accessStatus(), d.consentUrl(),
                OnboardingRules.permissionsToGrant(d.missingPermissions(), List.of())) + "; then " : "";
        facts.put(SUGGESTED_ACTION, onboarding + (enabled ? "set its PSA company and alert route: the tenant is scanned"
                : "review the tenant and enable it (PUT /api/v1/tenants/" + d.customerTenantId() + " with enabled=true)"
                + " if it should be governed"));
        java.util.ArrayList<AlertLink> links = new java.util.ArrayList<>();
        if (consent) {
            links.add(new AlertLink("Grant admin consent", d.consentUrl()));
        }
        links.addAll(tenantLinks(d.customerTenantId()));
        return build("TENANT_DISCOVERED:" + d.customerTenantId() + ":" + d.discoveryId(), d.customerTenantId(),
                AlertKind.TENANT_DISCOVERED, enabled ? Severity.INFO : Severity.LOW,
                "New customer tenant discovered: " + nvl(d.displayName(), d.customerTenantId())
                        + (enabled ? " (registered, scanned)" : " (registered disabled)"),
                null, null, facts, links, now);
    }

    /** RELATIONSHIP_EXPIRING (MEDIUM): once per tenant, relationship and end date (an extension warns again). */
    public Outbox.Pending relationshipExpiringMessage(io.mfagov.model.events.CustomerDiscovered d,
            io.mfagov.model.events.DelegatedRelationship r, String tenantName, Instant now) {
        Map<String, String> facts = discoveryFacts(d, "EXPIRING");
        facts.put("Relationship", nvl(r.displayName(), r.id()) + " (" + r.id() + ", " + r.status() + ")");
        facts.put("Ends", r.endDateTime().toString());
        facts.put("Auto-extend", nvl(r.autoExtendDuration(), "none"));
        facts.put(SUGGESTED_ACTION, "Extend the GDAP relationship in Partner Center (or turn on auto-extend) before "
                + day(r.endDateTime()) + ", or plan the tenant's offboarding");
        return build("RELATIONSHIP_EXPIRING:" + d.customerTenantId() + ":" + r.id() + ":" + day(r.endDateTime()),
                d.customerTenantId(), AlertKind.RELATIONSHIP_EXPIRING, Severity.MEDIUM,
                "GDAP relationship with " + nvl(tenantName, nvl(d.displayName(), d.customerTenantId())) + " ends on "
                        + day(r.endDateTime()) + " and does not extend itself",
                null, null, facts, tenantLinks(d.customerTenantId()), now);
    }

    /**
     * RELATIONSHIP_ENDED (HIGH): the customer's last access-granting relationship ended (once per tenant and
     * relationship), or the customer is missing from a COMPLETE discovery ({@code relationship} null; once per
     * tenant and discovery that found it missing).
     */
    public Outbox.Pending relationshipEndedMessage(String tenantId, String tenantName, String partnerTenantId,
            io.mfagov.model.events.DelegatedRelationship relationship, UUID discoveryId, Instant now) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", tenantId);
        if (tenantName != null && !tenantName.isBlank()) {
            facts.put("Tenant name", tenantName);
        }
        if (partnerTenantId != null) {
            facts.put("Partner tenant", partnerTenantId);
        }
        if (relationship != null) {
            facts.put("Relationship", nvl(relationship.displayName(), relationship.id()) + " (" + relationship.id() + ")");
            facts.put("Status", relationship.status());
            if (relationship.endDateTime() != null) {
                facts.put("Ended", relationship.endDateTime().toString());
            }
        } else {
            facts.put("Status", "no longer listed: neither a contract nor a GDAP relationship (discovery " + discoveryId + ")");
        }
        facts.put(SUGGESTED_ACTION, OnboardingRules.action(io.mfagov.model.events.AccessStatus.RELATIONSHIP_ENDED,
                null, List.of()));
        String id = relationship != null ? "RELATIONSHIP_ENDED:" + tenantId + ":" + relationship.id()
                : "RELATIONSHIP_ENDED:" + tenantId + ":absent:" + discoveryId;
        return build(id, tenantId, AlertKind.RELATIONSHIP_ENDED, Severity.HIGH,
                "Partner relationship with " + nvl(tenantName, tenantId) + " ended"
                        + (relationship != null ? " (GDAP " + relationship.status() + ")" : ": the customer is no longer listed"),
                null, null, facts, tenantLinks(tenantId), now);
    }

    private static Map<String, String> discoveryFacts(io.mfagov.model.events.CustomerDiscovered d, String relationshipStatus) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", d.customerTenantId());
        if (d.displayName() != null && !d.displayName().isBlank()) {
            facts.put("Tenant name", d.displayName() + " (from " + d.nameSource() + ")");
        }
        if (d.defaultDomain() != null) {
            facts.put("Default domain", d.defaultDomain());
        }
        facts.put("Partner tenant", d.tenantId());
        facts.put("Contract", nvl(d.contractType(), "none"));
        facts.put("GDAP relationships", d.relationships().isEmpty() ? "none" : String.join(", ", d.relationships().stream()
                .map(r -> nvl(r.displayName(), r.id()) + " " + r.status()).toList()));
        if (relationshipStatus != null) {
            facts.put("Relationship", relationshipStatus);
        }
        facts.put("Access", d.accessStatus().name()
                + (d.missingPermissions().isEmpty() ? "" : ": grant " + String.join(", ", d.missingPermissions())));
        return facts;
    }

    private List<AlertLink> tenantLinks(String tenantId) {
        return config.publicUrl()
                .map(base -> base.replaceAll("/+$", ""))
                .filter(base -> !base.isBlank())
                .map(base -> List.of(new AlertLink("Open the tenant", base + "/api/v1/tenants/" + tenantId)))
                .orElse(List.of());
    }

    /** Once per tenant, access status and the scan that began the episode (TenantAccess). */
    static String accessProblemId(String tenantId, String status, UUID scanId) {
        return "ACCESS_PROBLEM:" + tenantId + ":" + status + ":" + scanId;
    }
}
