package io.mfagov.register.service;

import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.ExceptionRecord.Status;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;

/**
 * The rules of the exception workflow, without storage: four eyes, the category's approver role, maximum duration,
 * ticket requirement, review cadence and which states allow which transition. {@link ExceptionService} applies them.
 */
final class ExceptionRules {

    private ExceptionRules() {
    }

    /**
     * Whether {@code actor} may approve the request: not its requester (four eyes, names compared case-insensitively),
     * holding the category's approver role, and before the requested expiry.
     */
    static void checkMayApprove(ExceptionRecord x, RegisterConfig.Category category, String actor,
            Predicate<String> actorHasRole, Instant now) {
        if (x.requestedBy.equalsIgnoreCase(actor)) {
            throw ProblemException.forbidden("four-eyes",
                    "four eyes: " + actor + " requested this exception and cannot approve it");
        }
        if (!actorHasRole.test(category.approverRole())) {
            throw ProblemException.forbidden("approver-role",
                    "category " + x.category + " must be approved by the role '" + category.approverRole() + "'");
        }
        if (!x.expiresAt.isAfter(now)) {
            throw ProblemException.conflict("the requested expiry " + x.expiresAt + " has passed; renew with a new expiry");
        }
    }

    /** The requester cannot reject their own request (four eyes); they revoke it instead. */
    static void checkMayReject(ExceptionRecord x, String actor) {
        if (x.requestedBy.equalsIgnoreCase(actor)) {
            throw ProblemException.forbidden("four-eyes", "four eyes: the requester cannot decide their own request; revoke it instead");
        }
    }

    /** The ticket reference, trimmed; required when the category says so. */
    static String ticket(RegisterConfig.Category category, String name, String ticketRef) {
        String ticket = Check.maxLength("ticketRef", ticketRef, 128);
        if (category.ticketRequired() && (ticket == null || ticket.isBlank())) {
            throw ProblemException.invalid("ticketRef", "category " + name + " requires a PSA ticket reference");
        }
        return ticket == null || ticket.isBlank() ? null : ticket.trim();
    }

    /** The requested expiry: in the future and no later than the category's maximum days from now. */
    static Instant expiry(RegisterConfig.Category category, String name, Instant expiresAt, Instant now) {
        Check.required("expiresAt", expiresAt);
        if (!expiresAt.isAfter(now)) {
            throw ProblemException.invalid("expiresAt", "expiresAt must be in the future");
        }
        Instant max = now.plus(category.maxDays(), ChronoUnit.DAYS);
        if (expiresAt.isAfter(max)) {
            throw ProblemException.invalid("expiresAt", "expiresAt is beyond the maximum of " + category.maxDays()
                    + " days for category " + name + " (latest " + max.truncatedTo(ChronoUnit.SECONDS) + ")");
        }
        return expiresAt;
    }

    /** The first review after approval: the category's cadence from now, none when it would fall at or after expiry. */
    static Instant firstReviewAt(RegisterConfig.Category category, Instant now, Instant expiresAt) {
        return category.reviewEveryDays().map(d -> now.plus(d, ChronoUnit.DAYS))
                .filter(r -> r.isBefore(expiresAt)).orElse(null);
    }

    /**
     * The next review after a review: the date asked for (it must be in the future), else the category's cadence from
     * now; none when it would fall at or after expiry.
     */
    static Instant nextReviewAt(RegisterConfig.Category category, Instant requested, Instant now, Instant expiresAt) {
        if (requested != null && !requested.isAfter(now)) {
            throw ProblemException.invalid("nextReviewAt", "nextReviewAt must be in the future");
        }
        Instant next = requested != null ? requested
                : category.reviewEveryDays().map(d -> now.plus(d, ChronoUnit.DAYS)).orElse(null);
        return next != null && next.isBefore(expiresAt) ? next : null;
    }

    /** A transition is allowed only from the given states; anything else is a 409. */
    static void requireStatus(ExceptionRecord x, String action, Status... allowed) {
        for (Status s : allowed) {
            if (x.is(s)) {
                return;
            }
        }
        throw ProblemException.conflict("cannot " + action + " exception " + x.id + ": it is " + x.status);
    }
}
