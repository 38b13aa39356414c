package io.mfagov.register.service;

import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.service.Reconciler.OrphanChange;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.mfagov.register.service.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** When a scan may remove exclusions, when a removed one is back, and which of these raise an alert. */
class ReconciliationDecisionsTest {

    @Test
    void aCompleteScanWhoseDetectionsAllArrivedSweeps() {
        assertThat(ScanResultService.reconciliation(ScanStatus.COMPLETE, 12, 12)).isEqualTo("SWEPT");
        assertThat(ScanResultService.reconciliation(ScanStatus.COMPLETE, 0, 0)).isEqualTo("SWEPT");
    }

    @Test
    void aCompleteScanWithDetectionsMissingOrExtraRemovesNothing() {
        assertThat(ScanResultService.reconciliation(ScanStatus.COMPLETE, 11, 12)).isEqualTo("COUNT_MISMATCH");
        assertThat(ScanResultService.reconciliation(ScanStatus.COMPLETE, 13, 12)).isEqualTo("COUNT_MISMATCH");
        assertThat(ScanResultService.reconciliation(ScanStatus.COMPLETE, 0, null)).isEqualTo("COUNT_MISMATCH");
    }

    @Test
    void partialAndFailedScansNeverRemoveExclusionsEvenWithMatchingCounts() {
        assertThat(ScanResultService.reconciliation(ScanStatus.PARTIAL, 5, 5)).isEqualTo("NOT_COMPLETE");
        assertThat(ScanResultService.reconciliation(ScanStatus.FAILED, 0, 0)).isEqualTo("NOT_COMPLETE");
    }

    @Test
    void scanFailedIsRaisedOncePerFailureStreak() {
        assertThat(ScanResultService.raisesScanFailedAlert(ScanStatus.FAILED, 1)).isTrue();
        assertThat(ScanResultService.raisesScanFailedAlert(ScanStatus.FAILED, 2)).isFalse();
        assertThat(ScanResultService.raisesScanFailedAlert(ScanStatus.FAILED, 7)).isFalse();
        assertThat(ScanResultService.raisesScanFailedAlert(ScanStatus.PARTIAL, 0)).isFalse();
        assertThat(ScanResultService.raisesScanFailedAlert(ScanStatus.COMPLETE, 0)).isFalse();
    }

    @Test
    void unapprovedExclusionIsAlertedWhenItAppearsNotAtEveryDetection() {
        assertThat(ScanResultService.raisesUnapprovedAlert(true, false, true, "UNAPPROVED")).isTrue();
        assertThat(ScanResultService.raisesUnapprovedAlert(false, true, true, "UNAPPROVED")).isFalse();
        assertThat(ScanResultService.raisesUnapprovedAlert(true, false, true, "APPROVED")).isFalse();
        assertThat(ScanResultService.raisesUnapprovedAlert(true, false, true, "PENDING")).isFalse();
        assertThat(ScanResultService.raisesUnapprovedAlert(true, false, true, "EXPIRED")).isFalse();
    }

    @Test
    void anExclusionOutOfScopeOrClosedByAnotherPolicyOpensNothingAndRaisesNoAlert() {
        assertThat(ScanResultService.opensAWayPast(false, null)).isFalse();
        assertThat(ScanResultService.opensAWayPast(true, "pol-block")).isFalse();
        assertThat(ScanResultService.opensAWayPast(null, "pol-block")).isFalse();
        assertThat(ScanResultService.opensAWayPast(true, null)).isTrue();
        assertThat(ScanResultService.opensAWayPast(null, null)).as("unknown scope: as before, it opens").isTrue();
        assertThat(ScanResultService.raisesUnapprovedAlert(true, false, false, "UNAPPROVED")).isFalse();
    }

    @Test
    void aPresentExclusionThatStopsBeingClosedIsAlertedThenAndOnlyThen() {
        assertThat(ScanResultService.raisesUnapprovedAlert(false, false, true, "UNAPPROVED")).isTrue();
        assertThat(ScanResultService.raisesUnapprovedAlert(false, true, true, "UNAPPROVED")).isFalse();
        assertThat(ScanResultService.raisesUnapprovedAlert(false, false, true, "APPROVED")).isFalse();
        assertThat(ScanResultService.raisesUnapprovedAlert(false, true, false, "UNAPPROVED")).isFalse();
    }

    @Test
    void aDetectionObservedSinceTheRemovingScanStartedBringsTheExclusionBack() {
        Instant scanStart = NOW.minusSeconds(600);
        Instant removedAt = NOW.minusSeconds(300);
        assertThat(ScanResultService.observedSinceRemoval(scanStart, removedAt, scanStart)).isTrue();
        assertThat(ScanResultService.observedSinceRemoval(scanStart.plusSeconds(1), removedAt, scanStart)).isTrue();
    }

    @Test
    void aLateDetectionFromBeforeTheRemovingScanLeavesTheExclusionRemoved() {
        Instant scanStart = NOW.minusSeconds(600);
        Instant removedAt = NOW.minusSeconds(300);
        assertThat(ScanResultService.observedSinceRemoval(scanStart.minusMillis(1), removedAt, scanStart)).isFalse();
    }

    @Test
    void withoutTheRemovingScansStartTheRemovalTimeIsTheBound() {
        Instant removedAt = NOW.minusSeconds(300);
        assertThat(ScanResultService.observedSinceRemoval(removedAt.plusMillis(1), removedAt, null)).isTrue();
        assertThat(ScanResultService.observedSinceRemoval(removedAt, removedAt, null)).isFalse();
        assertThat(ScanResultService.observedSinceRemoval(removedAt.minusSeconds(1), removedAt, null)).isFalse();
    }

    @Test
    void anApprovedExceptionCoveringNothingIsOrphanedOnlyAfterACompleteScan() {
        assertThat(Reconciler.orphanChange(false, false, true)).isEqualTo(OrphanChange.ORPHANED);
        assertThat(Reconciler.orphanChange(false, false, false)).isEqualTo(OrphanChange.NONE);
    }

    @Test
    void anOrphanedExceptionIsMarkedAndAlertedOnce() {
        assertThat(Reconciler.orphanChange(false, true, true)).isEqualTo(OrphanChange.NONE);
    }

    @Test
    void anOrphanedExceptionCoveringSomethingAgainIsNoLongerOrphaned() {
        assertThat(Reconciler.orphanChange(true, true, false)).isEqualTo(OrphanChange.NO_LONGER_ORPHANED);
        assertThat(Reconciler.orphanChange(true, true, true)).isEqualTo(OrphanChange.NO_LONGER_ORPHANED);
        assertThat(Reconciler.orphanChange(true, false, true)).isEqualTo(OrphanChange.NONE);
    }
}
