package io.mfagov.register.service;

import io.mfagov.register.entity.UncoveredUserEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** When a COMPLETE scan's coverage raises NO_MFA_ENFORCEMENT and UNCOVERED_PRIVILEGED_USER, compared with the previous one. */
class CoverageAlertDecisionsTest {

    private static final List<String> NONE = List.of("NO_MFA_ENFORCEMENT");

    @Test
    void noMfaEnforcementIsRaisedWhenItIsNewAndTheFirstScanCountsAsNotPresentBefore() {
        assertThat(MfaCoverage.raisesNoMfaEnforcement(NONE, null)).isTrue();
        assertThat(MfaCoverage.raisesNoMfaEnforcement(NONE, List.of())).isTrue();
    }

    @Test
    void noMfaEnforcementIsNotRaisedAgainWhileItPersists() {
        assertThat(MfaCoverage.raisesNoMfaEnforcement(NONE, NONE)).isFalse();
        assertThat(MfaCoverage.raisesNoMfaEnforcement(List.of(), NONE)).isFalse();
        assertThat(MfaCoverage.raisesNoMfaEnforcement(List.of(), null)).isFalse();
    }

    @Test
    void everyUncoveredPrivilegedUserCountsWhenThereIsNoPreviousCompleteCoverage() {
        UncoveredUserEntry admin = user("admin", true);
        assertThat(MfaCoverage.newlyUncoveredPrivileged(List.of(admin, user("bob", false), user("eve", null)), false,
                false, List.of())).containsExactly(admin);
    }

    @Test
    void aPrivilegedUserUncoveredBeforeIsNotRaisedAgain() {
        assertThat(MfaCoverage.newlyUncoveredPrivileged(List.of(user("admin", true)), true, false,
                List.of(user("admin", true)))).isEmpty();
    }

    @Test
    void aPrivilegedUserCoveredBeforeOrNotKnownPrivilegedBeforeIsRaised() {
        UncoveredUserEntry admin = user("admin", true);
        UncoveredUserEntry promoted = user("bob", true);
        UncoveredUserEntry unknownBefore = user("eve", true);
        assertThat(MfaCoverage.newlyUncoveredPrivileged(List.of(admin, promoted, unknownBefore), true, false,
                List.of(user("bob", false), user("eve", null)))).containsExactly(admin, promoted, unknownBefore);
    }

    @Test
    void aPrivilegedUserMissingFromATruncatedPreviousListRaisesNothing() {
        assertThat(MfaCoverage.newlyUncoveredPrivileged(List.of(user("admin", true)), true, true, List.of(user("x", true))))
                .isEmpty();
        assertThat(MfaCoverage.newlyUncoveredPrivileged(List.of(user("admin", true)), true, true,
                List.of(user("admin", false)))).hasSize(1);
    }

    @Test
    void coverageAlertIdsAreTheScansSoAReplayYieldsTheSameId() {
        UUID scan = UUID.randomUUID();
        assertThat(Alerts.noMfaEnforcementId(Fixtures.TENANT, scan)).isEqualTo(Alerts.noMfaEnforcementId(Fixtures.TENANT, scan))
                .isEqualTo("NO_MFA_ENFORCEMENT:" + Fixtures.TENANT + ":" + scan)
                .isNotEqualTo(Alerts.noMfaEnforcementId(Fixtures.TENANT, UUID.randomUUID()));
        assertThat(Alerts.uncoveredPrivilegedUserId(Fixtures.TENANT, Fixtures.USER, scan))
                .isEqualTo("UNCOVERED_PRIVILEGED_USER:" + Fixtures.TENANT + ":" + Fixtures.USER + ":" + scan);
    }

    private static UncoveredUserEntry user(String id, Boolean privileged) {
        UncoveredUserEntry u = new UncoveredUserEntry();
        u.scanId = UUID.randomUUID();
        u.userId = id;
        u.reason = "IN_NO_INCLUDE";
        u.privileged = privileged;
        return u;
    }
}
