package io.mfagov.register.service;

import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.register.entity.Remediation.Status;
import io.mfagov.support.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Remediation's decisions: the grace period, protected ids, which answer counts, the status a plan leads to, four eyes. */
class RemediationDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-11-20T06:00:00Z");

    @Test
    void anExpiredExclusionIsPlannedOnlyOnceTheGraceDaysHavePassed() {
        Instant expired = NOW.minus(7, ChronoUnit.DAYS);
        assertThat(RemediationRules.pastGrace(expired, 7, NOW)).isFalse();
        assertThat(RemediationRules.pastGrace(expired.minusSeconds(1), 7, NOW)).isTrue();
        assertThat(RemediationRules.pastGrace(NOW.minusSeconds(1), 0, NOW)).isTrue();
        assertThat(RemediationRules.pastGrace(null, 0, NOW)).isFalse();
    }

    @Test
    void protectedIdsAreTheBreakGlassPrincipalsAndEveryGroupOrRoleOnTheirRoutes() {
        List<String> ids = RemediationRules.protectedIds(List.of("bg-1", "bg-2"), List.of(
                RemediationRules.routeIds("bg-1", ""),
                RemediationRules.routeIds("grp-outer", "grp-outer grp-inner"),
                RemediationRules.routeIds("role-ga", null)));
        assertThat(ids).containsExactly("bg-1", "bg-2", "grp-inner", "grp-outer", "role-ga");
    }

    @Test
    void onlyTheAnswerToThePendingRequestOfTheAwaitedModeIsActedOn() {
        UUID pending = UUID.randomUUID();
        assertThat(RemediationRules.awaits(Status.PLANNING, pending, pending, RemediationMode.PLAN)).isTrue();
        assertThat(RemediationRules.awaits(Status.APPLYING, pending, pending, RemediationMode.APPLY)).isTrue();
        assertThat(RemediationRules.awaits(Status.ROLLING_BACK, pending, pending, RemediationMode.ROLLBACK)).isTrue();
        assertThat(RemediationRules.awaits(Status.PLANNING, pending, UUID.randomUUID(), RemediationMode.PLAN))
                .as("an answer to an older request").isFalse();
        assertThat(RemediationRules.awaits(Status.PLANNED, pending, pending, RemediationMode.PLAN))
                .as("a second copy after the first was applied").isFalse();
        assertThat(RemediationRules.awaits(Status.APPLIED, pending, pending, RemediationMode.APPLY)).isFalse();
        assertThat(RemediationRules.awaits(Status.APPLYING, pending, pending, RemediationMode.PLAN)).isFalse();
        assertThat(RemediationRules.awaits(Status.PLANNING, null, pending, RemediationMode.PLAN)).isFalse();
    }

    @Test
    void aWritablePlanWaitsForApprovalAManualOneForAPersonAndNoneNeedsNothing() {
        assertThat(RemediationRules.statusOfPlan(PlanKind.EXCLUDE_LIST)).isEqualTo(Status.PLANNED);
        assertThat(RemediationRules.statusOfPlan(PlanKind.GROUP_MEMBERSHIP)).isEqualTo(Status.PLANNED);
        assertThat(RemediationRules.statusOfPlan(PlanKind.MANUAL)).isEqualTo(Status.MANUAL);
        assertThat(RemediationRules.statusOfPlan(PlanKind.NONE)).isEqualTo(Status.NOT_NEEDED);
        assertThat(RemediationRules.statusOfPlan(PlanKind.UNKNOWN)).isEqualTo(Status.FAILED);
    }

    @Test
    void theRegisterApprovesItselfOnlyExpiryDryRunsOfWritablePlansInTenantsThatSaySo() {
        assertThat(RemediationRules.autoApproves(true, RemediationReason.EXPIRED, PlanKind.EXCLUDE_LIST,
                RemediationMode.PLAN, false)).isTrue();
        assertThat(RemediationRules.autoApproves(true, RemediationReason.EXPIRED, PlanKind.GROUP_MEMBERSHIP,
                RemediationMode.PLAN, false)).isTrue();
        assertThat(RemediationRules.autoApproves(false, RemediationReason.EXPIRED, PlanKind.EXCLUDE_LIST,
                RemediationMode.PLAN, false)).isFalse();
        assertThat(RemediationRules.autoApproves(true, RemediationReason.RETIRED, PlanKind.EXCLUDE_LIST,
                RemediationMode.PLAN, false)).isFalse();
        assertThat(RemediationRules.autoApproves(true, RemediationReason.EXPIRED, PlanKind.MANUAL,
                RemediationMode.PLAN, false)).isFalse();
        assertThat(RemediationRules.autoApproves(true, RemediationReason.EXPIRED, PlanKind.EXCLUDE_LIST,
                RemediationMode.APPLY, true)).as("a re-plan waits for a person").isFalse();
    }

    @Test
    void whoeverAskedForARemovalCannotApproveIt() {
        assertThatThrownBy(() -> RemediationRules.checkMayApprove("rita@msp.example", "RITA@msp.example", "removal"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("four eyes");
        RemediationRules.checkMayApprove("lifecycle", "alan@msp.example", "removal");
        RemediationRules.checkMayApprove("rita@msp.example", "alan@msp.example", "rollback");
    }

    @Test
    void aRefusedRollbackLeavesTheRemovalStanding() {
        assertThat(RemediationRules.afterFailedRollback(null)).isEqualTo(Status.APPLIED);
        assertThat(RemediationRules.afterFailedRollback(NOW)).isEqualTo(Status.CONFIRMED);
    }

    @Test
    void alertIdsCarryTheRemediationAndTheRequestAnswered() {
        UUID r = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID q = UUID.fromString("00000000-0000-0000-0000-000000000002");
        assertThat(RemediationRules.appliedAlertId(r, q)).isEqualTo("REMEDIATION_APPLIED:" + r + ":" + q);
        assertThat(RemediationRules.plannedAlertId(r, q)).isEqualTo("REMEDIATION_PLANNED:" + r + ":" + q);
        assertThat(RemediationRules.failedAlertId(r, q)).isEqualTo("REMEDIATION_FAILED:" + r + ":" + q);
        assertThat(RemediationRules.conflictAlertId(r, q)).isEqualTo("REMEDIATION_CONFLICT:" + r + ":" + q);
    }
}
