package io.mfagov.register.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The risk score of one exclusion: points per factor, summed and capped at 100 (docs/risk-score.md). Pure: the facts
 * come in, the score and the factors that gave it go out. An exclusion that opens nothing (removed, not in the
 * policy's scope, or closed by another policy) scores 0 with no factors.
 */
public final class RiskScore {

    public static final int MAX = 100;

    /** What raises the risk of an exclusion, and by how much. */
    public enum Factor {
        /** The principal holds a directory role, active or eligible (or the exclusion is of a role). */
        PRIVILEGED_ROLE(25),
        /** The latest scan with gap signals reported the user NOT_REGISTERED or NOT_CAPABLE. */
        NOT_MFA_REGISTERED(20),
        /** Successful single-factor sign-ins in the latest scan's sign-in window. */
        SINGLE_FACTOR_SIGNINS(20),
        /** The latest coverage lists the user as covered by no MFA policy. */
        UNCOVERED(15),
        /** No approved exception covers the exclusion (unapproved, pending, expired). */
        NO_APPROVED_EXCEPTION(15),
        /** Approved, but the exception never expires. */
        NO_EXPIRY(10),
        /** A guest, or a guest rule. */
        GUEST(10),
        /** First seen more than 365 days ago. */
        AGE_OVER_365_DAYS(10),
        /** First seen more than 90 (and at most 365) days ago. */
        AGE_OVER_90_DAYS(5),
        /** The account is enabled (it can sign in). */
        ENABLED_ACCOUNT(5);

        private final int points;

        Factor(int points) {
            this.points = points;
        }

        public int points() {
            return points;
        }
    }

    /**
     * The facts about one exclusion.
     *
     * @param opensNothing        removed, {@code inScope=false} or closed by another policy
     * @param privileged          holds a directory role, active or eligible
     * @param accountEnabled      null: unknown (counts as not enabled)
     * @param notMfaRegistered    NOT_REGISTERED or NOT_CAPABLE in the latest scan with gap signals
     * @param uncovered           in the latest coverage's uncovered users
     * @param singleFactorSignIns in the latest scan's window (null: not read)
     * @param guest               a guest user or a guest rule
     * @param firstSeen           when the register first saw the exclusion
     * @param approved            an approved exception covers it (APPROVED or EXPIRING)
     * @param expiresAt           the covering exception's expiry (null: none)
     */
    public record Inputs(boolean opensNothing, boolean privileged, Boolean accountEnabled, boolean notMfaRegistered,
            boolean uncovered, Integer singleFactorSignIns, boolean guest, Instant firstSeen, boolean approved,
            Instant expiresAt) {
    }

    /** A factor that applied and its points. */
    public record Points(Factor factor, int points) {
    }

    /** The score (0–100) and the factors that gave it, highest first. */
    public record Result(int score, List<Points> factors) {

        public static final Result NONE = new Result(0, List.of());
    }

    private RiskScore() {
    }

    public static Result of(Inputs in, Instant now) {
        if (in.opensNothing()) {
            return Result.NONE;
        }
        List<Points> factors = new ArrayList<>();
        add(factors, Factor.PRIVILEGED_ROLE, in.privileged());
        add(factors, Factor.NOT_MFA_REGISTERED, in.notMfaRegistered());
        add(factors, Factor.SINGLE_FACTOR_SIGNINS, in.singleFactorSignIns() != null && in.singleFactorSignIns() > 0);
        add(factors, Factor.UNCOVERED, in.uncovered());
        add(factors, Factor.NO_APPROVED_EXCEPTION, !in.approved());
        add(factors, Factor.NO_EXPIRY, in.approved() && in.expiresAt() == null);
        add(factors, Factor.GUEST, in.guest());
        long days = in.firstSeen() == null ? 0 : Duration.between(in.firstSeen(), now).toDays();
        add(factors, Factor.AGE_OVER_365_DAYS, days > 365);
        add(factors, Factor.AGE_OVER_90_DAYS, days > 90 && days <= 365);
        add(factors, Factor.ENABLED_ACCOUNT, Boolean.TRUE.equals(in.accountEnabled()));
        int sum = factors.stream().mapToInt(Points::points).sum();
        return new Result(Math.min(MAX, sum), List.copyOf(factors));
    }

    private static void add(List<Points> factors, Factor f, boolean applies) {
        if (applies) {
            factors.add(new Points(f, f.points()));
        }
    }
}
