package io.mfagov.register.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static io.mfagov.register.service.RiskScore.Factor.*;
import static org.assertj.core.api.Assertions.assertThat;

class RiskScoreTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static RiskScore.Inputs plain() {
        return new RiskScore.Inputs(false, false, null, false, false, null, false, NOW, true, NOW.plus(30, ChronoUnit.DAYS));
    }

    @Test
    void anApprovedExpiringExclusionOfAnUnknownAccountWithNoSignalsScoresZero() {
        assertThat(RiskScore.of(plain(), NOW)).isEqualTo(RiskScore.Result.NONE);
    }

    @Test
    void eachFactorAddsItsPoints() {
        RiskScore.Inputs p = plain();
        assertThat(score(new RiskScore.Inputs(false, true, null, false, false, null, false, NOW, true, p.expiresAt())))
                .isEqualTo(PRIVILEGED_ROLE.points()).isEqualTo(25);
        assertThat(score(new RiskScore.Inputs(false, false, true, false, false, null, false, NOW, true, p.expiresAt())))
                .isEqualTo(ENABLED_ACCOUNT.points()).isEqualTo(5);
        assertThat(score(new RiskScore.Inputs(false, false, null, true, false, null, false, NOW, true, p.expiresAt())))
                .isEqualTo(20);
        assertThat(score(new RiskScore.Inputs(false, false, null, false, true, null, false, NOW, true, p.expiresAt())))
                .isEqualTo(15);
        assertThat(score(new RiskScore.Inputs(false, false, null, false, false, 1, false, NOW, true, p.expiresAt())))
                .isEqualTo(20);
        assertThat(score(new RiskScore.Inputs(false, false, null, false, false, 0, false, NOW, true, p.expiresAt())))
                .isZero();
        assertThat(score(new RiskScore.Inputs(false, false, null, false, false, null, true, NOW, true, p.expiresAt())))
                .isEqualTo(10);
        assertThat(score(new RiskScore.Inputs(false, false, null, false, false, null, false, NOW, false, null)))
                .isEqualTo(NO_APPROVED_EXCEPTION.points()).isEqualTo(15);
        assertThat(score(new RiskScore.Inputs(false, false, null, false, false, null, false, NOW, true, null)))
                .isEqualTo(NO_EXPIRY.points()).isEqualTo(10);
    }

    @Test
    void ageCountsOnceOver90AndMoreOver365Days() {
        assertThat(score(aged(90))).isZero();
        assertThat(score(aged(91))).isEqualTo(5);
        assertThat(score(aged(365))).isEqualTo(5);
        assertThat(RiskScore.of(aged(366), NOW).factors()).containsExactly(new RiskScore.Points(AGE_OVER_365_DAYS, 10));
    }

    @Test
    void theScoreIsCappedAt100AndListsEveryFactorWithItsPoints() {
        RiskScore.Result r = RiskScore.of(new RiskScore.Inputs(false, true, true, true, true, 7, true,
                NOW.minus(400, ChronoUnit.DAYS), false, null), NOW);
        assertThat(r.score()).isEqualTo(100);
        assertThat(r.factors()).extracting(RiskScore.Points::factor).containsExactly(PRIVILEGED_ROLE,
                NOT_MFA_REGISTERED, SINGLE_FACTOR_SIGNINS, UNCOVERED, NO_APPROVED_EXCEPTION, GUEST, AGE_OVER_365_DAYS,
                ENABLED_ACCOUNT);
        assertThat(r.factors().stream().mapToInt(RiskScore.Points::points).sum()).isEqualTo(120);
    }

    @Test
    void anExclusionThatOpensNothingScoresZeroWhateverElseHolds() {
        assertThat(RiskScore.of(new RiskScore.Inputs(true, true, true, true, true, 7, true, NOW, false, null), NOW))
                .isEqualTo(RiskScore.Result.NONE);
    }

    /** The worked example of docs/risk-score.md. */
    @Test
    void theWorkedExampleOfTheDocsScores60() {
        RiskScore.Result r = RiskScore.of(new RiskScore.Inputs(false, false, true, true, false, 14, false,
                NOW.minus(200, ChronoUnit.DAYS), true, null), NOW);
        assertThat(r.factors()).containsExactly(new RiskScore.Points(NOT_MFA_REGISTERED, 20),
                new RiskScore.Points(SINGLE_FACTOR_SIGNINS, 20), new RiskScore.Points(NO_EXPIRY, 10),
                new RiskScore.Points(AGE_OVER_90_DAYS, 5), new RiskScore.Points(ENABLED_ACCOUNT, 5));
        assertThat(r.score()).isEqualTo(60);
    }

    private static RiskScore.Inputs aged(int days) {
        return new RiskScore.Inputs(false, false, null, false, false, null, false, NOW.minus(days, ChronoUnit.DAYS),
                true, NOW.plus(30, ChronoUnit.DAYS));
    }

    private static int score(RiskScore.Inputs in) {
        return RiskScore.of(in, NOW).score();
    }
}
