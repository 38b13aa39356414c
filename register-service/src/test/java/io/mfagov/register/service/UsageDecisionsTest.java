package io.mfagov.register.service;

import io.mfagov.register.api.UsageView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pure logic: the usage verdict of an excluded principal from the register's history of sign-in windows, and when
 * single-factor sign-ins are new or rising.
 */
class UsageDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final ExclusionUsage.PrincipalKey SVC = new ExclusionUsage.PrincipalKey("USER", "svc");

    /** A 30-day window ending {@code daysAgo} days before NOW. */
    private static ExclusionUsage.Window window(int daysAgo) {
        Instant end = NOW.minus(Duration.ofDays(daysAgo));
        return new ExclusionUsage.Window(UUID.randomUUID(), end.minus(Duration.ofDays(30)), end, end);
    }

    private static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    @Test
    void windowsThatJoinUpMakeOneHistoryBackToTheOldestStart() {
        List<ExclusionUsage.Window> windows = List.of(window(0), window(25), window(50), window(75));
        assertThat(ExclusionUsage.historyStart(windows, daysAgo(75))).isEqualTo(daysAgo(105));
    }

    @Test
    void aGapBetweenWindowsEndsTheHistory() {
        List<ExclusionUsage.Window> windows = List.of(window(0), window(25), window(100));
        assertThat(ExclusionUsage.historyStart(windows, daysAgo(200))).isEqualTo(daysAgo(55));
    }

    @Test
    void scansBeforeThePrincipalsUsageWasFirstReportedDoNotCount() {
        List<ExclusionUsage.Window> windows = List.of(window(0), window(25), window(50), window(75));
        assertThat(ExclusionUsage.historyStart(windows, daysAgo(25))).isEqualTo(daysAgo(55));
        assertThat(ExclusionUsage.historyStart(windows, null)).isNull();
    }

    @Test
    void aSignInWithinTheThresholdIsUsedWhateverTheHistory() {
        UsageView u = ExclusionUsage.judge(SVC, new ExclusionUsage.Evidence(daysAgo(12), null, daysAgo(0)),
                List.of(window(0)), 90);
        assertThat(u.verdict()).isEqualTo("USED");
        assertThat(u.daysSinceLastSignIn()).isEqualTo(12);
        assertThat(u.historyDays()).isEqualTo(30);
    }

    @Test
    void noSignInOverAHistoryLongerThanTheThresholdIsUnused() {
        UsageView never = ExclusionUsage.judge(SVC, new ExclusionUsage.Evidence(null, null, daysAgo(75)),
                List.of(window(0), window(25), window(50), window(75)), 90);
        assertThat(never.verdict()).isEqualTo("UNUSED");
        assertThat(never.historyDays()).isEqualTo(105);
        assertThat(never.reason()).isEqualTo("no sign-in in 105 days of history");

        UsageView long_ago = ExclusionUsage.judge(SVC, new ExclusionUsage.Evidence(daysAgo(95), null, daysAgo(75)),
                List.of(window(0), window(25), window(50), window(75)), 90);
        assertThat(long_ago.verdict()).isEqualTo("UNUSED");
        assertThat(long_ago.daysSinceLastSignIn()).isEqualTo(95);
    }

    @Test
    void noSignInOverAShorterHistoryIsInsufficientHistoryAndSaysHowMuch() {
        UsageView u = ExclusionUsage.judge(SVC, new ExclusionUsage.Evidence(null, null, daysAgo(11)),
                List.of(window(0), window(11)), 90);
        assertThat(u.verdict()).isEqualTo("INSUFFICIENT_HISTORY");
        assertThat(u.historyDays()).isEqualTo(41);
        assertThat(u.reason()).isEqualTo("history covers 41 of 90 days");
    }

    @Test
    void withoutAnyScanThatReadSignInsOrAnyUsageReportedNothingIsGuessed() {
        assertThat(ExclusionUsage.judge(SVC, null, List.of(), 90).verdict()).isEqualTo("INSUFFICIENT_HISTORY");
        UsageView unreported = ExclusionUsage.judge(SVC, null, List.of(window(0), window(25), window(50), window(75)), 90);
        assertThat(unreported.verdict()).isEqualTo("INSUFFICIENT_HISTORY");
        assertThat(unreported.historyDays()).isZero();
    }

    @Test
    void anExceptionIsUsedIfAnyPrincipalIsUnusedOnlyIfAllAre() {
        UsageView used = ExclusionUsage.judge(SVC, new ExclusionUsage.Evidence(daysAgo(1), null, daysAgo(0)),
                List.of(window(0)), 90);
        UsageView unused = ExclusionUsage.judge(SVC, new ExclusionUsage.Evidence(null, null, daysAgo(75)),
                List.of(window(0), window(25), window(50), window(75)), 90);
        UsageView unknown = ExclusionUsage.judge(SVC, null, List.of(), 90);
        assertThat(ExclusionUsage.overall(List.of(unused, used))).isEqualTo("USED");
        assertThat(ExclusionUsage.overall(List.of(unused, unused))).isEqualTo("UNUSED");
        assertThat(ExclusionUsage.overall(List.of(unused, unknown))).isEqualTo("INSUFFICIENT_HISTORY");
        assertThat(ExclusionUsage.overall(List.of())).isNull();
    }

    @Test
    void singleFactorSignInsAreRaisedWhenNewOrRisingByTheFactor() {
        assertThat(GapSignalAlerts.raisesSingleFactor(4, null, 2.0)).isTrue();
        assertThat(GapSignalAlerts.raisesSingleFactor(4, 0, 2.0)).isTrue();
        assertThat(GapSignalAlerts.raisesSingleFactor(5, 4, 2.0)).isFalse();
        assertThat(GapSignalAlerts.raisesSingleFactor(10, 5, 2.0)).isTrue();
        assertThat(GapSignalAlerts.raisesSingleFactor(9, 5, 2.0)).isFalse();
        assertThat(GapSignalAlerts.raisesSingleFactor(0, null, 2.0)).isFalse();
    }

    @Test
    void anUnusedExceptionsAlertIdChangesOnlyWithTheLastSignIn() {
        UUID x = UUID.randomUUID();
        assertThat(Alerts.unusedExceptionId(x, "USER", "svc", null))
                .isEqualTo(Alerts.unusedExceptionId(x, "USER", "svc", null)).endsWith(":none");
        assertThat(Alerts.unusedExceptionId(x, "USER", "svc", daysAgo(100)))
                .isNotEqualTo(Alerts.unusedExceptionId(x, "USER", "svc", daysAgo(95)));
    }
}
