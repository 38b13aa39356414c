package io.mfagov.scanner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.graphsim.SimulatorAdmin;
import io.mfagov.graphsim.model.Change;
import io.mfagov.graphsim.model.TenantFixture;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Topics;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.RemediationApplied;
import io.mfagov.model.events.RemediationFailed;
import io.mfagov.model.events.RemediationFailure;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationPlanned;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.scanner.support.GraphSimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.mfagov.scanner.support.RemediationTenants.BG1;
import static io.mfagov.scanner.support.RemediationTenants.BG2;
import static io.mfagov.scanner.support.RemediationTenants.GROUP;
import static io.mfagov.scanner.support.RemediationTenants.HOST;
import static io.mfagov.scanner.support.RemediationTenants.POLICY;
import static io.mfagov.scanner.support.RemediationTenants.RETIRED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remediation requests in through the real broker, the real Graph SDK writing to the simulator, answers out on
 * {@code mfagov.scan-results}; the simulator's change log shows exactly what was written. One tenant per test.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(GraphSimulatorResource.class)
@WithTestResource(TestTokens.class)
class RemediationFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static SimulatorAdmin sim() {
        return GraphSimulatorResource.simulator().admin();
    }

    // ---- requests as the register sends them ----------------------------------------------------------------------

    private static RemediationRequested plan(String tenant, String principal, Via via, boolean membershipAllowed,
                                             List<String> protectedIds) {
        return new RemediationRequested(UUID.randomUUID(), UUID.randomUUID(), tenant, RemediationMode.PLAN,
                RemediationReason.EXPIRED, POLICY, PrincipalType.USER, principal, "Scanner Service", via, true,
                membershipAllowed, protectedIds, null, null, null, Instant.now(), "lifecycle",
                Instant.now().plus(Duration.ofHours(1)), null);
    }

    /** The approval of a plan: APPLY with what the plan read as the expected state. */
    private static RemediationRequested apply(RemediationRequested planned, RemediationPlan plan) {
        return new RemediationRequested(planned.remediationId(), UUID.randomUUID(), planned.tenantId(),
                RemediationMode.APPLY, planned.reason(), planned.policyId(), planned.principalType(),
                planned.principalId(), planned.principalDisplayName(), planned.via(), planned.soleRoute(),
                planned.groupMembershipAllowed(), planned.protectedIds(), plan, plan.policyModifiedDateTime(),
                plan.usersBefore(), Instant.now(), "approver", Instant.now().plus(Duration.ofHours(1)), null);
    }

    /** The rollback of an applied plan: expects what the removal left. */
    private static RemediationRequested rollback(RemediationRequested applied, RemediationApplied result) {
        return new RemediationRequested(applied.remediationId(), UUID.randomUUID(), applied.tenantId(),
                RemediationMode.ROLLBACK, applied.reason(), applied.policyId(), applied.principalType(),
                applied.principalId(), applied.principalDisplayName(), applied.via(), applied.soleRoute(),
                applied.groupMembershipAllowed(), applied.protectedIds(), applied.plan(), result.modifiedAfter(),
                result.usersAfter(), Instant.now(), "second-approver", Instant.now().plus(Duration.ofHours(1)), null);
    }

    private static void send(RemediationRequested request) {
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(request, Instant.now())));
    }

    // ---- answers --------------------------------------------------------------------------------------------------

    private static List<EventPayload> answersTo(UUID requestId, Duration timeout, int atLeast) {
        List<ConsumerRecord<String, String>> records = kafka.readUntil(Topics.SCAN_RESULTS, timeout,
                rs -> rs.stream().filter(r -> isAnswerTo(r, requestId)).count() >= atLeast);
        return records.stream().filter(r -> isAnswerTo(r, requestId))
                .map(r -> EventCodec.get().decode(r.value()).payload()).toList();
    }

    private static boolean isAnswerTo(ConsumerRecord<String, String> r, UUID requestId) {
        return r.value().contains(requestId.toString())
                && String.valueOf(EventRecords.header(r.headers(), io.mfagov.model.EventHeaders.EVENT_TYPE)).startsWith("Remediation");
    }

    private static <T> T answer(UUID requestId, Class<T> type) {
        List<EventPayload> answers = answersTo(requestId, Duration.ofSeconds(30), 1);
        assertThat(answers).as("answer to %s", requestId).hasSize(1);
        assertThat(answers.get(0)).isInstanceOf(type);
        return type.cast(answers.get(0));
    }

    private static ObjectNode usersPatch(String list, String... ids) {
        ObjectNode patch = JSON.createObjectNode();
        var array = patch.putObject("conditions").putObject("users").putArray(list);
        for (String id : ids) {
            array.add(id);
        }
        return patch;
    }

    private static List<String> excludeUsers(Change change) {
        List<String> ids = new java.util.ArrayList<>();
        change.after().at("/conditions/users/excludeUsers").forEach(e -> ids.add(e.asText()));
        return ids;
    }

    // ---- tests ----------------------------------------------------------------------------------------------------

    @Test
    void aDryRunAnswersTheExactPatchBodyAndWritesNothingThenTheApprovedApplyRemovesOnlyThatPrincipalAndTheRollbackRestoresTheExactList() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.PLAN_APPLY_ROLLBACK;
        RemediationRequested planRequest = plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of(BG1, BG2));

        send(planRequest);
        RemediationPlanned planned = answer(planRequest.requestId(), RemediationPlanned.class);

        RemediationPlan plan = planned.plan();
        assertThat(planned.mode()).isEqualTo(RemediationMode.PLAN);
        assertThat(planned.replanReason()).isNull();
        assertThat(planned.graphRequestCount()).isEqualTo(1);
        assertThat(plan.kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(plan.listName()).isEqualTo("excludeUsers");
        assertThat(plan.removedId()).isEqualTo(RETIRED);
        assertThat(plan.policyName()).isEqualTo("Require MFA for all users");
        // a policy never modified has no modifiedDateTime (null), as in Graph
        assertThat(plan.policyModifiedDateTime()).isNull();
        ObjectNode expectedUsers = plan.usersBefore().deepCopy();
        expectedUsers.putArray("excludeUsers").add(BG1).add(BG2);
        assertThat(plan.patchBody()).isEqualTo(JSON.createObjectNode().set("conditions",
                JSON.createObjectNode().set("users", expectedUsers)));
        assertThat(sim().changes(tenant)).isEmpty();

        RemediationRequested applyRequest = apply(planRequest, plan);
        send(applyRequest);
        RemediationApplied applied = answer(applyRequest.requestId(), RemediationApplied.class);

        assertThat(applied.mode()).isEqualTo(RemediationMode.APPLY);
        assertThat(applied.kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(applied.changedId()).isEqualTo(RETIRED);
        assertThat(applied.before()).containsExactly(BG1, BG2, RETIRED);
        assertThat(applied.after()).containsExactly(BG1, BG2);
        assertThat(applied.unexpectedChanges()).isEmpty();
        assertThat(applied.modifiedBefore()).isEqualTo(plan.policyModifiedDateTime());
        assertThat(applied.modifiedAfter()).isNotEqualTo(applied.modifiedBefore());
        assertThat(applied.graphRequestCount()).isEqualTo(3); // read, PATCH, read back
        List<Change> changes = sim().changes(tenant);
        assertThat(changes).hasSize(1);
        Change write = changes.get(0);
        assertThat(write.kind()).isEqualTo(Change.POLICY_UPDATE);
        assertThat(write.targetId()).isEqualTo(POLICY);
        assertThat(excludeUsers(write)).containsExactly(BG1, BG2);
        ObjectNode beforeButUsers = write.before().deepCopy();
        ObjectNode afterButUsers = write.after().deepCopy();
        for (ObjectNode p : List.of(beforeButUsers, afterButUsers)) {
            p.remove("modifiedDateTime");
            ((ObjectNode) p.get("conditions").get("users")).remove("excludeUsers");
        }
        assertThat(afterButUsers).as("nothing else touched").isEqualTo(beforeButUsers);

        RemediationRequested rollbackRequest = rollback(applyRequest, applied);
        send(rollbackRequest);
        RemediationApplied rolledBack = answer(rollbackRequest.requestId(), RemediationApplied.class);

        assertThat(rolledBack.mode()).isEqualTo(RemediationMode.ROLLBACK);
        assertThat(rolledBack.changedId()).isEqualTo(RETIRED);
        assertThat(rolledBack.after()).containsExactly(BG1, BG2, RETIRED);
        assertThat(rolledBack.unexpectedChanges()).isEmpty();
        assertThat(sim().changes(tenant)).hasSize(2);
        assertThat(excludeUsers(sim().changes(tenant).get(1))).containsExactly(BG1, BG2, RETIRED);
        assertThat(rolledBack.usersAfter()).isEqualTo(plan.usersBefore());
    }

    @Test
    void aBreakGlassExclusionIsNeverRemovedNeitherPlannedNorApplied() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.BREAK_GLASS;
        RemediationRequested planRequest = plan(tenant, BG1, Via.direct(BG1), false, List.of(BG1, BG2));

        send(planRequest);
        RemediationFailed refusedPlan = answer(planRequest.requestId(), RemediationFailed.class);
        // as if the register sent an approved plan for it anyway
        RemediationRequested unprotected = plan(tenant, BG1, Via.direct(BG1), false, List.of());
        send(unprotected);
        RemediationPlan plan = answer(unprotected.requestId(), RemediationPlanned.class).plan();
        RemediationRequested applyRequest = apply(planRequest, plan);
        send(applyRequest);
        RemediationFailed refusedApply = answer(applyRequest.requestId(), RemediationFailed.class);

        assertThat(refusedPlan.reason()).isEqualTo(RemediationFailure.PROTECTED_PRINCIPAL);
        assertThat(refusedPlan.message()).contains(BG1).contains("protected");
        assertThat(refusedApply.reason()).isEqualTo(RemediationFailure.PROTECTED_PRINCIPAL);
        assertThat(refusedApply.mode()).isEqualTo(RemediationMode.APPLY);
        assertThat(sim().changes(tenant)).isEmpty();
    }

    @Test
    void anEditBeforeTheWriteIsReplannedFromWhatWasReadAndNothingIsWritten() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.EDITED_BEFORE;
        RemediationRequested planRequest = plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of(BG1, BG2));
        send(planRequest);
        RemediationPlan plan = answer(planRequest.requestId(), RemediationPlanned.class).plan();

        sim().editPolicyNow(tenant, POLICY, usersPatch("excludeUsers", BG1, BG2, RETIRED, HOST));
        RemediationRequested applyRequest = apply(planRequest, plan);
        send(applyRequest);
        RemediationPlanned replanned = answer(applyRequest.requestId(), RemediationPlanned.class);

        assertThat(replanned.mode()).isEqualTo(RemediationMode.APPLY);
        assertThat(replanned.replanReason()).contains("modifiedDateTime").contains("conditions.users differs at excludeUsers");
        assertThat(replanned.plan().kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(replanned.plan().policyModifiedDateTime()).isNotEqualTo(plan.policyModifiedDateTime());
        assertThat(replanned.plan().patchBody().at("/conditions/users/excludeUsers").toString())
                .isEqualTo("[\"%s\",\"%s\",\"%s\"]".formatted(BG1, BG2, HOST));
        assertThat(sim().changes(tenant)).singleElement()
                .satisfies(c -> assertThat(c.actor()).isEqualTo(Change.CONCURRENT_ADMIN));
    }

    @Test
    void anEditRacingTheWriteIsReportedWithBothVersions() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.EDITED_DURING;
        RemediationRequested planRequest = plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of(BG1, BG2));
        send(planRequest);
        RemediationPlan plan = answer(planRequest.requestId(), RemediationPlanned.class).plan();

        ObjectNode racing = JSON.createObjectNode().put("state", "enabledForReportingButNotEnforced");
        sim().editPolicyAfterNextWrite(tenant, POLICY, racing);
        RemediationRequested applyRequest = apply(planRequest, plan);
        send(applyRequest);
        RemediationApplied applied = answer(applyRequest.requestId(), RemediationApplied.class);

        assertThat(applied.conflict()).isTrue();
        assertThat(applied.unexpectedChanges()).containsExactly("state");
        assertThat(applied.after()).containsExactly(BG1, BG2);
        assertThat(applied.policyBefore().path("state").asText()).isEqualTo("enabled");
        assertThat(applied.policyAfter().path("state").asText()).isEqualTo("enabledForReportingButNotEnforced");
        assertThat(sim().changes(tenant)).extracting(Change::actor).hasSize(2).last().isEqualTo(Change.CONCURRENT_ADMIN);
    }

    @Test
    void aTenantWithoutTheWritePermissionIsAnsweredEnforcementNotPermittedAndNothingIsWritten() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.NOT_PERMITTED;
        Set<String> granted = new HashSet<>(TenantFixture.DEFAULT_GRANTED_PERMISSIONS);
        granted.remove("Policy.ReadWrite.ConditionalAccess");
        sim().setGrantedPermissions(tenant, granted);
        RemediationRequested planRequest = plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of(BG1, BG2));
        send(planRequest);
        RemediationPlan plan = answer(planRequest.requestId(), RemediationPlanned.class).plan();

        RemediationRequested applyRequest = apply(planRequest, plan);
        send(applyRequest);
        RemediationFailed failed = answer(applyRequest.requestId(), RemediationFailed.class);

        assertThat(failed.reason()).isEqualTo(RemediationFailure.ENFORCEMENT_NOT_PERMITTED);
        assertThat(failed.missingPermissions()).contains("Policy.ReadWrite.ConditionalAccess");
        assertThat(failed.message()).contains("403");
        assertThat(sim().changes(tenant)).isEmpty();
    }

    @Test
    void replayingTheRequestsWritesNothingTwice() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.REPLAY;
        RemediationRequested planRequest = plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of(BG1, BG2));
        send(planRequest);
        RemediationPlan plan = answer(planRequest.requestId(), RemediationPlanned.class).plan();
        RemediationRequested applyRequest = apply(planRequest, plan);
        send(applyRequest);
        answer(applyRequest.requestId(), RemediationApplied.class);

        send(planRequest);
        send(applyRequest);
        // the same APPLY once the scanner has forgotten it answered (a restart): the tenant no longer matches it
        RemediationRequested afterRestart = apply(planRequest, plan);
        send(afterRestart);
        RemediationPlanned replanned = answer(afterRestart.requestId(), RemediationPlanned.class);

        assertThat(replanned.replanReason()).contains("modifiedDateTime");
        assertThat(replanned.plan().kind()).isEqualTo(PlanKind.NONE);
        assertThat(answersTo(applyRequest.requestId(), Duration.ofSeconds(3), 2)).hasSize(1);
        assertThat(answersTo(planRequest.requestId(), Duration.ofSeconds(1), 2)).hasSize(1);
        assertThat(sim().changes(tenant)).hasSize(1);
    }

    @Test
    void aDirectMembershipOfTheExcludedGroupIsRemovedAndRolledBack() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.MEMBERSHIP;
        Via via = new Via(ViaKind.GROUP, GROUP, "Legacy Scanners", List.of(new PathStep(ViaKind.GROUP, GROUP, "Legacy Scanners")));
        RemediationRequested planRequest = plan(tenant, HOST, via, true, List.of(BG1, BG2));
        send(planRequest);
        RemediationPlan plan = answer(planRequest.requestId(), RemediationPlanned.class).plan();

        assertThat(plan.kind()).isEqualTo(PlanKind.GROUP_MEMBERSHIP);
        assertThat(plan.groupId()).isEqualTo(GROUP);
        assertThat(plan.removedId()).isEqualTo(HOST);
        assertThat(sim().changes(tenant)).isEmpty();

        RemediationRequested applyRequest = apply(planRequest, plan);
        send(applyRequest);
        RemediationApplied applied = answer(applyRequest.requestId(), RemediationApplied.class);

        assertThat(applied.kind()).isEqualTo(PlanKind.GROUP_MEMBERSHIP);
        assertThat(applied.groupId()).isEqualTo(GROUP);
        assertThat(applied.listName()).isEqualTo("members");
        assertThat(applied.before()).containsExactly(HOST);
        assertThat(applied.after()).isEmpty();
        assertThat(sim().changes(tenant)).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Change.MEMBER_REMOVED);
            assertThat(c.memberId()).isEqualTo(HOST);
            assertThat(c.after().path("members").toString()).isEqualTo("[\"%s\"]".formatted(RETIRED));
        });

        RemediationRequested rollbackRequest = rollback(applyRequest, applied);
        send(rollbackRequest);
        RemediationApplied rolledBack = answer(rollbackRequest.requestId(), RemediationApplied.class);

        assertThat(rolledBack.mode()).isEqualTo(RemediationMode.ROLLBACK);
        assertThat(rolledBack.after()).containsExactly(HOST);
        assertThat(sim().changes(tenant)).hasSize(2).last().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Change.MEMBER_ADDED);
            assertThat(c.memberId()).isEqualTo(HOST);
        });
    }

    @Test
    void aRequestPastItsNotAfterIsAnsweredStaleWithoutAnyGraphRequest() {
        String tenant = io.mfagov.scanner.support.RemediationTenants.STALE;
        RemediationRequested planRequest = plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of());
        send(planRequest);
        RemediationPlan plan = answer(planRequest.requestId(), RemediationPlanned.class).plan();
        RemediationRequested fresh = apply(planRequest, plan);
        RemediationRequested late = new RemediationRequested(fresh.remediationId(), fresh.requestId(), tenant,
                RemediationMode.APPLY, fresh.reason(), POLICY, PrincipalType.USER, RETIRED, null, fresh.via(), true,
                false, List.of(), plan, fresh.expectedModifiedDateTime(), fresh.expectedUsers(),
                Instant.now().minus(Duration.ofHours(2)), "approver", Instant.now().minus(Duration.ofHours(1)), null);

        send(late);
        RemediationFailed failed = answer(late.requestId(), RemediationFailed.class);

        assertThat(failed.reason()).isEqualTo(RemediationFailure.STALE_REQUEST);
        assertThat(failed.graphRequestCount()).isZero();
        assertThat(sim().changes(tenant)).isEmpty();
    }

    @Test
    void aMalformedRequestGoesToTheDeadLetterTopicWithTheReasonAndTheNextIsStillServed() throws Exception {
        String tenant = io.mfagov.scanner.support.RemediationTenants.DEAD_LETTER;
        ObjectNode envelope = (ObjectNode) EventCodec.get().mapper().readTree(EventCodec.get().encode(
                EventEnvelope.wrap(plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of()), Instant.now())));
        ((ObjectNode) envelope.get("payload")).remove("remediationId");
        String bad = envelope.toString();
        RemediationRequested good = plan(tenant, RETIRED, Via.direct(RETIRED), false, List.of());

        kafka.send(Topics.REMEDIATION_REQUESTS, tenant, bad);
        send(good);

        assertThat(answer(good.requestId(), RemediationPlanned.class).plan().kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        Optional<ConsumerRecord<String, String>> dead = kafka.readUntil(Topics.deadLetter(Topics.REMEDIATION_REQUESTS),
                Duration.ofSeconds(30), rs -> rs.stream().anyMatch(r -> r.value().equals(bad)))
                .stream().filter(r -> r.value().equals(bad)).findFirst();
        assertThat(dead).isPresent();
        assertThat(new String(dead.get().headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("remediationId");
        assertThat(sim().changes(tenant)).isEmpty();
    }
}
