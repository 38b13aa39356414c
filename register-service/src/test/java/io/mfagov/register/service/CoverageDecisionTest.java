package io.mfagov.register.service;

import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.ExceptionRecord.Status;
import io.mfagov.register.entity.Exclusion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.mfagov.register.service.Fixtures.GROUP;
import static io.mfagov.register.service.Fixtures.INNER_GROUP;
import static io.mfagov.register.service.Fixtures.NOW;
import static io.mfagov.register.service.Fixtures.POLICY;
import static io.mfagov.register.service.Fixtures.USER;
import static io.mfagov.register.service.Fixtures.exception;
import static io.mfagov.register.service.Fixtures.exclusion;
import static io.mfagov.register.service.Fixtures.inDays;
import static org.assertj.core.api.Assertions.assertThat;

/** The status of an exclusion given the tenant's exceptions (Coverage.decide), without a database. */
class CoverageDecisionTest {

    private static final Duration FOURTEEN_DAYS = Duration.ofDays(14);

    private static Coverage.Decision decide(Exclusion e, ExceptionRecord... exceptions) {
        return Coverage.decide(e, List.of(exceptions), NOW, FOURTEEN_DAYS);
    }

    @Test
    void exclusionWithoutAnyExceptionIsUnapproved() {
        Coverage.Decision d = decide(exclusion());
        assertThat(d.status()).isEqualTo(ExclusionStatus.UNAPPROVED);
        assertThat(d.exception()).isNull();
    }

    @Test
    void exclusionWithApprovedUnexpiredExceptionIsApproved() {
        ExceptionRecord x = exception(Status.APPROVED, inDays(30), USER);
        assertThat(decide(exclusion(), x)).isEqualTo(new Coverage.Decision(ExclusionStatus.APPROVED, x));
    }

    @Test
    void exceptionExpiringInThreeDaysIsExpiring() {
        ExceptionRecord x = exception(Status.APPROVED, inDays(3), USER);
        assertThat(decide(exclusion(), x)).isEqualTo(new Coverage.Decision(ExclusionStatus.EXPIRING, x));
    }

    @Test
    void theExpiringWindowEndsExactlyAtTheLargestWarningDay() {
        assertThat(decide(exclusion(), exception(Status.APPROVED, inDays(14), USER)).status())
                .isEqualTo(ExclusionStatus.EXPIRING);
        assertThat(decide(exclusion(), exception(Status.APPROVED, inDays(14).plusSeconds(1), USER)).status())
                .isEqualTo(ExclusionStatus.APPROVED);
        assertThat(decide(exclusion(), exception(Status.APPROVED, inDays(15), USER)).status())
                .isEqualTo(ExclusionStatus.APPROVED);
    }

    @Test
    void theExpiringWindowIsTheLargestConfiguredWarningDay() {
        assertThat(Coverage.warningWindow(List.of(3, 30, 14))).isEqualTo(Duration.ofDays(30));
        assertThat(Coverage.warningWindow(List.of())).isEqualTo(Duration.ofDays(14));
        ExceptionRecord x = exception(Status.APPROVED, inDays(20), USER);
        assertThat(Coverage.decide(exclusion(), List.of(x), NOW, Coverage.warningWindow(List.of(30, 3))).status())
                .isEqualTo(ExclusionStatus.EXPIRING);
    }

    @Test
    void anApprovedExceptionWhoseExpiryHasComeNoLongerApproves() {
        ExceptionRecord atExpiry = exception(Status.APPROVED, NOW, USER);
        assertThat(decide(exclusion(), atExpiry)).isEqualTo(new Coverage.Decision(ExclusionStatus.EXPIRED, atExpiry));
    }

    @Test
    void exclusionWithOnlyARequestedExceptionIsPending() {
        ExceptionRecord requested = exception(Status.REQUESTED, inDays(30), USER);
        assertThat(decide(exclusion(), requested)).isEqualTo(new Coverage.Decision(ExclusionStatus.PENDING, requested));
    }

    @Test
    void theLatestRequestIsTheOnePendingOn() {
        ExceptionRecord older = exception(Status.REQUESTED, inDays(30), USER);
        ExceptionRecord newer = exception(Status.REQUESTED, inDays(20), USER);
        newer.requestedAt = older.requestedAt.plusSeconds(60);
        assertThat(decide(exclusion(), older, newer).exception()).isSameAs(newer);
    }

    @Test
    void exclusionWhoseOnlyExceptionExpiredIsExpired() {
        ExceptionRecord expired = exception(Status.EXPIRED, inDays(-1), USER);
        assertThat(decide(exclusion(), expired)).isEqualTo(new Coverage.Decision(ExclusionStatus.EXPIRED, expired));
    }

    @Test
    void anActiveApprovalWinsOverARequestAndAnExpiredOne() {
        ExceptionRecord approved = exception(Status.APPROVED, inDays(60), USER);
        ExceptionRecord requested = exception(Status.REQUESTED, inDays(80), USER);
        ExceptionRecord expired = exception(Status.EXPIRED, inDays(-5), USER);
        assertThat(decide(exclusion(), expired, requested, approved))
                .isEqualTo(new Coverage.Decision(ExclusionStatus.APPROVED, approved));
    }

    @Test
    void aPendingRenewalWinsOverTheExpiredException() {
        ExceptionRecord expired = exception(Status.EXPIRED, inDays(-5), USER);
        ExceptionRecord renewal = exception(Status.REQUESTED, inDays(80), USER);
        assertThat(decide(exclusion(), expired, renewal).status()).isEqualTo(ExclusionStatus.PENDING);
    }

    @Test
    void amongApprovalsTheOneRunningLongestDecides() {
        ExceptionRecord shortOne = exception(Status.APPROVED, inDays(5), USER);
        ExceptionRecord longOne = exception(Status.APPROVED, inDays(90), USER);
        assertThat(decide(exclusion(), shortOne, longOne))
                .isEqualTo(new Coverage.Decision(ExclusionStatus.APPROVED, longOne));
    }

    @Test
    void rejectedRevokedAndSupersededExceptionsDecideNothing() {
        assertThat(decide(exclusion(), exception(Status.REJECTED, inDays(30), USER),
                exception(Status.REVOKED, inDays(30), USER), exception(Status.SUPERSEDED, inDays(30), USER)).status())
                .isEqualTo(ExclusionStatus.UNAPPROVED);
    }

    @Test
    void aRemovedExclusionIsRemovedWhateverItsExceptions() {
        Exclusion removed = exclusion();
        removed.removedAt = NOW.minusSeconds(3600);
        ExceptionRecord approved = exception(Status.APPROVED, inDays(60), USER);
        assertThat(decide(removed, approved)).isEqualTo(new Coverage.Decision(ExclusionStatus.REMOVED, approved));
        assertThat(decide(removed).status()).isEqualTo(ExclusionStatus.REMOVED);
    }

    @Test
    void anExceptionForTheExcludedGroupOrAGroupOnThePathCoversTheMember() {
        assertThat(decide(exclusion(), exception(Status.APPROVED, inDays(60), GROUP)).status())
                .isEqualTo(ExclusionStatus.APPROVED);
        assertThat(decide(exclusion(), exception(Status.APPROVED, inDays(60), INNER_GROUP)).status())
                .isEqualTo(ExclusionStatus.APPROVED);
    }

    @Test
    void anExceptionForSomeoneElseCoversNothing() {
        ExceptionRecord other = exception(Status.APPROVED, inDays(60), "99999999-9999-9999-9999-999999999999");
        assertThat(Coverage.covers(other, exclusion())).isFalse();
        assertThat(decide(exclusion(), other).status()).isEqualTo(ExclusionStatus.UNAPPROVED);
    }

    @Test
    void anExceptionForAnotherPolicyDoesNotCoverButOneForAllPoliciesDoes() {
        ExceptionRecord otherPolicy = exception(Status.APPROVED, inDays(60), USER);
        otherPolicy.policyId = "66666666-6666-6666-6666-666666666666";
        ExceptionRecord samePolicy = exception(Status.APPROVED, inDays(60), USER);
        samePolicy.policyId = POLICY;
        ExceptionRecord allPolicies = exception(Status.APPROVED, inDays(60), USER);
        assertThat(Coverage.covers(otherPolicy, exclusion())).isFalse();
        assertThat(Coverage.covers(samePolicy, exclusion())).isTrue();
        assertThat(Coverage.covers(allPolicies, exclusion())).isTrue();
    }

    @Test
    void anExceptionOfAnotherTenantNeverCovers() {
        ExceptionRecord x = exception(Status.APPROVED, inDays(60), USER);
        x.tenantId = "77777777-7777-7777-7777-777777777777";
        assertThat(Coverage.covers(x, exclusion())).isFalse();
    }

    @Test
    void applyingADecisionReportsThePreviousStatusOnlyWhenItChanged() {
        Exclusion e = exclusion();
        ExceptionRecord x = exception(Status.APPROVED, inDays(60), USER);
        assertThat(Coverage.apply(e, new Coverage.Decision(ExclusionStatus.UNAPPROVED, null))).isEqualTo("NEW");
        assertThat(Coverage.apply(e, new Coverage.Decision(ExclusionStatus.UNAPPROVED, null))).isNull();
        assertThat(Coverage.apply(e, new Coverage.Decision(ExclusionStatus.APPROVED, x))).isEqualTo("UNAPPROVED");
        assertThat(e.exceptionId).isEqualTo(x.id);
        assertThat(e.expiresAt).isEqualTo(x.expiresAt);
        assertThat(e.category).isEqualTo(x.category);
    }
}
