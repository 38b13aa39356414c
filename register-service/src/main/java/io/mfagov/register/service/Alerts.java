package io.mfagov.register.service;

import io.mfagov.register.outbox.Outbox;

import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertLink;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
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
}
