package io.mfagov.register.service;

import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.RemediationFailure;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.model.events.Severity;
import io.mfagov.register.entity.Remediation.Status;
import io.mfagov.support.problem.ProblemException;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The decisions of remediation (issue 15), pure: when to plan, which answer counts, what status follows, who may approve. */
final class RemediationRules {

    private RemediationRules() {
    }

    /** An exclusion of an expired exception is planned for removal once the tenant's grace days after expiry have passed. */
    static boolean pastGrace(Instant expiresAt, int graceDays, Instant now) {
        return expiresAt != null && expiresAt.plus(Duration.ofDays(graceDays)).isBefore(now);
    }

    /**
     * The ids no change may remove: the principals of the tenant's approved exceptions in non-enforceable categories
     * (break-glass), plus the groups and roles through which those principals are excluded (their present exclusions'
     * via id and path ids): removing one of those from a policy would drop the break-glass account with it.
     *
     * @param protectedPrincipals principal ids named by approved non-enforceable exceptions
     * @param routes              for each present exclusion of one of those principals: its via id and path ids
     */
    static List<String> protectedIds(Collection<String> protectedPrincipals, Collection<List<String>> routes) {
        Set<String> ids = new LinkedHashSet<>(protectedPrincipals);
        for (List<String> route : routes) {
            for (String id : route) {
                if (id != null && !id.isBlank()) {
                    ids.add(id);
                }
            }
        }
        return ids.stream().sorted().toList();
    }

    /** The route of an exclusion as ids: its via id and each hop of its path (space-separated column). */
    static List<String> routeIds(String viaId, String viaPathIds) {
        Set<String> ids = new LinkedHashSet<>();
        if (viaId != null) {
            ids.add(viaId);
        }
        if (viaPathIds != null) {
            for (String s : viaPathIds.split(" ")) {
                if (!s.isBlank()) {
                    ids.add(s);
                }
            }
        }
        return List.copyOf(ids);
    }

    /**
     * Whether an answer is acted on: only the answer to the remediation's latest request, and only while the remediation
     * waits for that kind of answer (a second copy with a new event id, or an answer to an older request, changes nothing).
     */
    static boolean awaits(Status status, UUID pendingRequestId, UUID requestId, RemediationMode mode) {
        if (pendingRequestId == null || !pendingRequestId.equals(requestId)) {
            return false;
        }
        return switch (status) {
            case PLANNING -> mode == RemediationMode.PLAN;
            case APPLYING -> mode == RemediationMode.APPLY;
            case ROLLING_BACK -> mode == RemediationMode.ROLLBACK;
            default -> false;
        };
    }

    /** The status a plan leads to: a write waits for approval, MANUAL for a person, NONE needs nothing. */
    static Status statusOfPlan(PlanKind kind) {
        return switch (kind) {
            case EXCLUDE_LIST, GROUP_MEMBERSHIP -> Status.PLANNED;
            case MANUAL -> Status.MANUAL;
            case NONE -> Status.NOT_NEEDED;
            case UNKNOWN -> Status.FAILED;
        };
    }

    /**
     * The register approves a plan itself only when the tenant says so, for an expiry (not a retirement), for a plan it
     * can write, and only on the dry run's answer: a re-plan (the tenant changed since) always waits for a person.
     */
    static boolean autoApproves(boolean tenantAutoApplyExpiry, RemediationReason reason, PlanKind kind,
            RemediationMode answeredMode, boolean replan) {
        return tenantAutoApplyExpiry && reason == RemediationReason.EXPIRED && answeredMode == RemediationMode.PLAN
                && !replan && (kind == PlanKind.EXCLUDE_LIST || kind == PlanKind.GROUP_MEMBERSHIP);
    }

    /** Four eyes: whoever asked for the removal (or the rollback) does not approve it. */
    static void checkMayApprove(String requestedBy, String actor, String what) {
        if (requestedBy != null && requestedBy.equalsIgnoreCase(actor)) {
            throw ProblemException.forbidden("four-eyes",
                    "four eyes: " + actor + " requested this " + what + " and cannot approve it; another approver must");
        }
    }

    /** The status a refused rollback returns to: the removal stands, confirmed or not. */
    static Status afterFailedRollback(Instant confirmedAt) {
        return confirmedAt != null ? Status.CONFIRMED : Status.APPLIED;
    }

    /** Every failure is HIGH: nothing was removed, and protected or not-permitted ones need a person most. */
    static Severity failureSeverity(RemediationFailure reason) {
        return Severity.HIGH;
    }

    /** What a person should do about a failure. */
    static String suggestedAction(RemediationFailure reason, List<String> missingPermissions) {
        return switch (reason) {
            case ENFORCEMENT_NOT_PERMITTED -> "Grant the application permission(s) "
                    + (missingPermissions.isEmpty() ? "Policy.Read.All, Policy.ReadWrite.ConditionalAccess"
                    : String.join(", ", missingPermissions)) + " in this tenant (admin consent), then retire the exception again";
            case PROTECTED_PRINCIPAL -> "Nothing is removed: the change would drop a break-glass exclusion. Remove the"
                    + " exclusion by hand if it is really not needed";
            case NOT_FOUND -> "The policy or group no longer exists; the next scan will show whether the exclusion is gone";
            case REFUSED_BY_GRAPH -> "Graph refused the change; review the policy in the Entra admin center";
            case STALE_REQUEST -> "The request came too late to be carried out; approve again or retire the exception again";
            default -> "Retry later: retire the exception again once Graph is available";
        };
    }

    // Alert ids: the remediation and the request answered, so a replayed answer yields the same id.

    static String plannedAlertId(UUID remediationId, UUID requestId) {
        return "REMEDIATION_PLANNED:" + remediationId + ":" + requestId;
    }

    static String appliedAlertId(UUID remediationId, UUID requestId) {
        return "REMEDIATION_APPLIED:" + remediationId + ":" + requestId;
    }

    static String failedAlertId(UUID remediationId, UUID requestId) {
        return "REMEDIATION_FAILED:" + remediationId + ":" + requestId;
    }

    static String conflictAlertId(UUID remediationId, UUID requestId) {
        return "REMEDIATION_CONFLICT:" + remediationId + ":" + requestId;
    }
}
