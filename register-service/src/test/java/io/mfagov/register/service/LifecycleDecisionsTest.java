package io.mfagov.register.service;

import io.mfagov.model.events.Severity;
import io.mfagov.register.service.LifecycleJob.Due;
import org.junit.jupiter.api.Test;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.mfagov.register.service.Fixtures.NOW;
import static io.mfagov.register.service.Fixtures.inDays;
import static org.assertj.core.api.Assertions.assertThat;

/** What the daily lifecycle job raises for an approved exception, and the alert ids that make each raise once. */
class LifecycleDecisionsTest {

    private static final List<Integer> WARNINGS = List.of(14, 3);

    @Test
    void anExceptionWhoseExpiryHasComeExpiresAndRaisesNothingElse() {
        assertThat(LifecycleJob.due(NOW, NOW.minusSeconds(1), NOW, WARNINGS)).isEqualTo(new Due(true, null, false));
        assertThat(LifecycleJob.due(inDays(-2), null, NOW, WARNINGS)).isEqualTo(new Due(true, null, false));
    }

    @Test
    void anExceptionExpiringInThreeDaysGetsTheThreeDayWarning() {
        assertThat(LifecycleJob.due(inDays(3), null, NOW, WARNINGS).warningDays()).isEqualTo(3);
        assertThat(LifecycleJob.due(inDays(1), null, NOW, WARNINGS).warningDays()).isEqualTo(3);
    }

    @Test
    void anExceptionExpiringInFourToFourteenDaysGetsTheFourteenDayWarning() {
        assertThat(LifecycleJob.due(inDays(3).plusSeconds(1), null, NOW, WARNINGS).warningDays()).isEqualTo(14);
        assertThat(LifecycleJob.due(inDays(10), null, NOW, WARNINGS).warningDays()).isEqualTo(14);
        assertThat(LifecycleJob.due(inDays(14), null, NOW, WARNINGS).warningDays()).isEqualTo(14);
    }

    @Test
    void anExceptionExpiringInFifteenDaysIsNotWarnedYet() {
        assertThat(LifecycleJob.due(inDays(15), null, NOW, WARNINGS)).isEqualTo(new Due(false, null, false));
        assertThat(LifecycleJob.due(inDays(14).plusSeconds(1), null, NOW, WARNINGS).warningDays()).isNull();
    }

    @Test
    void theConfiguredWarningDaysDecideInAnyOrder() {
        assertThat(LifecycleJob.due(inDays(20), null, NOW, List.of(7, 30, 1)).warningDays()).isEqualTo(30);
        assertThat(LifecycleJob.due(inDays(5), null, NOW, List.of(7, 30, 1)).warningDays()).isEqualTo(7);
        assertThat(LifecycleJob.due(inDays(1), null, NOW, List.of(7, 30, 1)).warningDays()).isEqualTo(1);
    }

    @Test
    void aReviewIsDueOnceItsDateHasCome() {
        assertThat(LifecycleJob.due(inDays(60), NOW, NOW, WARNINGS).reviewDue()).isTrue();
        assertThat(LifecycleJob.due(inDays(60), inDays(-1), NOW, WARNINGS).reviewDue()).isTrue();
        assertThat(LifecycleJob.due(inDays(60), NOW.plusSeconds(1), NOW, WARNINGS).reviewDue()).isFalse();
        assertThat(LifecycleJob.due(inDays(60), null, NOW, WARNINGS).reviewDue()).isFalse();
    }

    @Test
    void aWarningAndADueReviewGoOutTogether() {
        assertThat(LifecycleJob.due(inDays(2), inDays(-1), NOW, WARNINGS)).isEqualTo(new Due(false, 3, true));
    }

    @Test
    void theSameWarningOnTheSameExpiryHasOneAlertIdWhateverTheDayItRuns() {
        UUID id = UUID.randomUUID();
        String today = Alerts.expiringId(id, 14, inDays(10));
        assertThat(Alerts.expiringId(id, 14, inDays(10))).isEqualTo(today);
        assertThat(Alerts.expiringId(id, 3, inDays(10))).isNotEqualTo(today);
        assertThat(Alerts.expiringId(id, 14, inDays(40))).as("a renewal's new expiry warns again").isNotEqualTo(today);
        assertThat(Alerts.expiringId(UUID.randomUUID(), 14, inDays(10))).isNotEqualTo(today);
    }

    @Test
    void theLastWarningsAreHighSeverity() {
        assertThat(Alerts.expiringSeverity(3)).isEqualTo(Severity.HIGH);
        assertThat(Alerts.expiringSeverity(1)).isEqualTo(Severity.HIGH);
        assertThat(Alerts.expiringSeverity(4)).isEqualTo(Severity.MEDIUM);
        assertThat(Alerts.expiringSeverity(14)).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void anUnapprovedExclusionIsHighAndOneStepLowerWhenAnotherPolicyShadowsIt() {
        assertThat(Alerts.unapprovedExclusionSeverity(null)).isEqualTo(Severity.HIGH);
        assertThat(Alerts.unapprovedExclusionSeverity(false)).isEqualTo(Severity.HIGH);
        assertThat(Alerts.unapprovedExclusionSeverity(true)).isEqualTo(Severity.MEDIUM);
        assertThat(Alerts.lower(Severity.CRITICAL)).isEqualTo(Severity.HIGH);
        assertThat(Alerts.lower(Severity.LOW)).isEqualTo(Severity.INFO);
        assertThat(Alerts.lower(Severity.INFO)).isEqualTo(Severity.INFO);
    }

    @Test
    void anUnapprovedExclusionIsAlertedOncePerAppearance() {
        UUID exclusion = UUID.randomUUID();
        String first = Alerts.unapprovedExclusionId(Fixtures.TENANT, exclusion, NOW);
        assertThat(Alerts.unapprovedExclusionId(Fixtures.TENANT, exclusion, NOW.plus(2, ChronoUnit.HOURS)))
                .as("same appearance, same day").isEqualTo(first);
        assertThat(Alerts.unapprovedExclusionId(Fixtures.TENANT, exclusion, inDays(3)))
                .as("back after a removal, another day").isNotEqualTo(first);
    }

    @Test
    void expiredReviewDueRemovedOrphanedAndScanFailedIdsNameWhatMakesThemDistinct() {
        UUID x = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        assertThat(Alerts.expiredId(x, inDays(-1))).isEqualTo(Alerts.expiredId(x, inDays(-1)))
                .isNotEqualTo(Alerts.expiredId(x, inDays(-2)));
        assertThat(Alerts.reviewDueId(x, inDays(0))).isNotEqualTo(Alerts.reviewDueId(x, inDays(90)));
        assertThat(Alerts.orphanedId(x, scan)).isNotEqualTo(Alerts.orphanedId(x, UUID.randomUUID()));
        assertThat(Alerts.scanFailedId(Fixtures.TENANT, scan)).isEqualTo("SCAN_FAILED:" + Fixtures.TENANT + ":" + scan);
        assertThat(Alerts.exclusionRemovedId(Fixtures.TENANT, x, scan))
                .isNotEqualTo(Alerts.exclusionRemovedId(Fixtures.TENANT, x, UUID.randomUUID()));
    }
}
