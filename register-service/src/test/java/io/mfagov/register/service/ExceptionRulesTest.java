package io.mfagov.register.service;

import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.ExceptionRecord.Status;
import io.mfagov.support.problem.Problem;
import io.mfagov.support.problem.ProblemException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import static io.mfagov.register.service.Fixtures.NOW;
import static io.mfagov.register.service.Fixtures.USER;
import static io.mfagov.register.service.Fixtures.exception;
import static io.mfagov.register.service.Fixtures.inDays;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The exception workflow's rules (four eyes, category limits, review cadence, transitions) without a database. */
class ExceptionRulesTest {

    private static final Fixtures.Category BREAK_GLASS = new Fixtures.Category(365, Optional.of(90), "admin", true);
    private static final Fixtures.Category OTHER = new Fixtures.Category(30, Optional.empty(), "approver", false);

    private static Problem problem(ThrowingCallable call) {
        ProblemException e = catchThrowableOfType(ProblemException.class, call);
        assertThat(e).as("a problem is raised").isNotNull();
        return e.problem();
    }

    private static ExceptionRecord requested() {
        return exception(Status.REQUESTED, inDays(20), USER);
    }

    @Test
    void theRequesterCannotApproveTheirOwnException() {
        ExceptionRecord x = requested();
        Problem p = problem(() -> ExceptionRules.checkMayApprove(x, OTHER, "alice@msp.example", r -> true, NOW));
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.type()).endsWith("/four-eyes");
    }

    @Test
    void fourEyesIgnoresTheCaseOfTheName() {
        ExceptionRecord x = requested();
        assertThat(problem(() -> ExceptionRules.checkMayApprove(x, OTHER, "ALICE@MSP.example", r -> true, NOW)).type())
                .endsWith("/four-eyes");
        assertThat(problem(() -> ExceptionRules.checkMayReject(x, "Alice@Msp.Example")).type()).endsWith("/four-eyes");
    }

    @Test
    void anotherPersonWithTheCategorysApproverRoleMayApprove() {
        ExceptionRecord x = requested();
        assertThatCode(() -> ExceptionRules.checkMayApprove(x, OTHER, "bob@msp.example", Set.of("approver")::contains, NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> ExceptionRules.checkMayReject(x, "bob@msp.example")).doesNotThrowAnyException();
    }

    @Test
    void aCategoryApprovedByAdminsRefusesAnApproverWithoutTheAdminRole() {
        ExceptionRecord x = requested();
        Problem p = problem(() -> ExceptionRules.checkMayApprove(x, BREAK_GLASS, "bob@msp.example",
                Set.of("approver")::contains, NOW));
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.type()).endsWith("/approver-role");
        assertThatCode(() -> ExceptionRules.checkMayApprove(x, BREAK_GLASS, "bob@msp.example", Set.of("admin")::contains,
                NOW)).doesNotThrowAnyException();
    }

    @Test
    void aRequestWhoseExpiryHasPassedCannotBeApproved() {
        ExceptionRecord x = exception(Status.REQUESTED, NOW, USER);
        assertThat(problem(() -> ExceptionRules.checkMayApprove(x, OTHER, "bob@msp.example", r -> true, NOW)).status())
                .isEqualTo(409);
    }

    @Test
    void anExpiryWithinTheCategorysMaximumIsAccepted() {
        assertThat(ExceptionRules.expiry(OTHER, "OTHER", inDays(30), NOW)).isEqualTo(inDays(30));
        assertThat(ExceptionRules.expiry(BREAK_GLASS, "BREAK_GLASS", inDays(365), NOW)).isEqualTo(inDays(365));
    }

    @Test
    void anExpiryBeyondTheCategorysMaximumIsRefusedNamingTheField() {
        Problem p = problem(() -> ExceptionRules.expiry(OTHER, "OTHER", inDays(30).plusSeconds(1), NOW));
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo("expiresAt");
        assertThat(p.detail()).contains("30 days");
        assertThat(problem(() -> ExceptionRules.expiry(BREAK_GLASS, "BREAK_GLASS", inDays(366), NOW)).field())
                .isEqualTo("expiresAt");
    }

    @Test
    void anExpiryNowOrInThePastOrMissingIsRefused() {
        assertThat(problem(() -> ExceptionRules.expiry(OTHER, "OTHER", NOW, NOW)).field()).isEqualTo("expiresAt");
        assertThat(problem(() -> ExceptionRules.expiry(OTHER, "OTHER", inDays(-1), NOW)).field()).isEqualTo("expiresAt");
        assertThat(problem(() -> ExceptionRules.expiry(OTHER, "OTHER", null, NOW)).field()).isEqualTo("expiresAt");
    }

    @Test
    void aCategoryRequiringATicketRefusesARequestWithoutOne() {
        assertThat(problem(() -> ExceptionRules.ticket(BREAK_GLASS, "BREAK_GLASS", null)).field()).isEqualTo("ticketRef");
        assertThat(problem(() -> ExceptionRules.ticket(BREAK_GLASS, "BREAK_GLASS", "   ")).field()).isEqualTo("ticketRef");
        assertThat(ExceptionRules.ticket(BREAK_GLASS, "BREAK_GLASS", " PSA-1234 ")).isEqualTo("PSA-1234");
    }

    @Test
    void aCategoryWithoutTicketRequirementAcceptsNoTicket() {
        assertThat(ExceptionRules.ticket(OTHER, "OTHER", null)).isNull();
        assertThat(ExceptionRules.ticket(OTHER, "OTHER", "  ")).isNull();
        assertThat(ExceptionRules.ticket(OTHER, "OTHER", "T-1")).isEqualTo("T-1");
    }

    @Test
    void aTicketReferenceLongerThan128CharactersIsRefused() {
        assertThat(problem(() -> ExceptionRules.ticket(OTHER, "OTHER", "x".repeat(129))).field()).isEqualTo("ticketRef");
        assertThat(ExceptionRules.ticket(OTHER, "OTHER", "x".repeat(128))).hasSize(128);
    }

    @Test
    void theFirstReviewFollowsTheCategorysCadenceUnlessExpiryComesFirst() {
        assertThat(ExceptionRules.firstReviewAt(BREAK_GLASS, NOW, inDays(365))).isEqualTo(NOW.plus(90, ChronoUnit.DAYS));
        assertThat(ExceptionRules.firstReviewAt(BREAK_GLASS, NOW, inDays(90))).isNull();
        assertThat(ExceptionRules.firstReviewAt(OTHER, NOW, inDays(30))).isNull();
    }

    @Test
    void aReviewSetsTheRequestedNextDateOrTheCadenceButNeverAtOrAfterExpiry() {
        assertThat(ExceptionRules.nextReviewAt(BREAK_GLASS, inDays(10), NOW, inDays(200))).isEqualTo(inDays(10));
        assertThat(ExceptionRules.nextReviewAt(BREAK_GLASS, null, NOW, inDays(200))).isEqualTo(inDays(90));
        assertThat(ExceptionRules.nextReviewAt(BREAK_GLASS, null, NOW, inDays(60))).isNull();
        assertThat(ExceptionRules.nextReviewAt(BREAK_GLASS, inDays(200), NOW, inDays(200))).isNull();
        assertThat(ExceptionRules.nextReviewAt(OTHER, null, NOW, inDays(20))).isNull();
    }

    @Test
    void aRequestedNextReviewInThePastIsRefused() {
        assertThat(problem(() -> ExceptionRules.nextReviewAt(BREAK_GLASS, NOW, NOW, inDays(200))).field())
                .isEqualTo("nextReviewAt");
    }

    @Test
    void aTransitionFromAStateThatDoesNotAllowItIsAConflict() {
        ExceptionRecord approved = exception(Status.APPROVED, inDays(20), USER);
        assertThat(problem(() -> ExceptionRules.requireStatus(approved, "approve", Status.REQUESTED)).status())
                .isEqualTo(409);
        assertThatCode(() -> ExceptionRules.requireStatus(approved, "revoke", Status.REQUESTED, Status.APPROVED))
                .doesNotThrowAnyException();
        ExceptionRecord rejected = exception(Status.REJECTED, inDays(20), USER);
        assertThat(problem(() -> ExceptionRules.requireStatus(rejected, "renew", Status.APPROVED, Status.EXPIRED))
                .detail()).contains("REJECTED");
    }
}
