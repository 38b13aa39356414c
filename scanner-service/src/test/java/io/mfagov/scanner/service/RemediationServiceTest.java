package io.mfagov.scanner.service;

import io.mfagov.graphsim.FaultSpec;
import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.model.TenantFixture;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.RemediationFailed;
import io.mfagov.model.events.RemediationFailure;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationPlanned;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.model.events.Via;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.support.RemediationTenants;
import io.mfagov.scanner.support.Simulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.ViaKind;

import static io.mfagov.scanner.support.RemediationTenants.BG1;
import static io.mfagov.scanner.support.RemediationTenants.GROUP;
import static io.mfagov.scanner.support.RemediationTenants.HOST;
import static io.mfagov.scanner.support.RemediationTenants.POLICY;
import static io.mfagov.scanner.support.RemediationTenants.RETIRED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor against the simulator without Kafka: the production credential path (client secret, azure-identity
 * tokens whose {@code roles} claim is checked before any write), Graph throttling every write, and replays.
 */
class RemediationServiceTest {

    private static final String MSP_CLIENT_ID = "5e1f0c2a-9b8d-4c7e-a6f5-0d4c3b2a1908";
    private static final String MSP_SECRET = "sim-secret-msp-" + UUID.randomUUID();

    private static GraphSimulator sim;

    @BeforeAll
    static void start() {
        sim = GraphSimulator.start(SimulatorConfig.builder()
                .tenants(RemediationTenants.all())
                .limits(Simulators.fastLimits())
                .mspApp(MSP_CLIENT_ID, MSP_SECRET)
                .dataDir(Path.of("target", "graph-simulator"))
                .build());
        sim.installTrustStoreSystemProperties();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static RemediationService withSecret() {
        return new RemediationService(new GraphClientFactory(Simulators.settings(sim)
                .withClientSecret(MSP_CLIENT_ID, MSP_SECRET, sim.authorityUrl())), Clock.systemUTC(), 100);
    }

    private static RemediationService withStaticToken() {
        return new RemediationService(new GraphClientFactory(Simulators.settings(sim)), Clock.systemUTC(), 100);
    }

    private static RemediationRequested plan(String tenant) {
        return new RemediationRequested(UUID.randomUUID(), UUID.randomUUID(), tenant, RemediationMode.PLAN,
                RemediationReason.RETIRED, POLICY, PrincipalType.USER, RETIRED, "Scanner Service", Via.direct(RETIRED),
                true, false, List.of(BG1), null, null, null, Instant.now(), "requester", Instant.now().plusSeconds(3600), null);
    }

    private static RemediationRequested apply(RemediationRequested p, RemediationPlan plan) {
        return new RemediationRequested(p.remediationId(), UUID.randomUUID(), p.tenantId(), RemediationMode.APPLY,
                p.reason(), POLICY, p.principalType(), p.principalId(), p.principalDisplayName(), p.via(), true, false,
                p.protectedIds(), plan, plan.policyModifiedDateTime(), plan.usersBefore(), Instant.now(), "approver",
                Instant.now().plusSeconds(3600), null);
    }

    @Test
    void aRemediationUsesTheRequestsCredentialSetAndAnEntraRefusalIsAnsweredWithItsReasonWithoutARead() {
        String tenant = RemediationTenants.ROLES_PRECHECK;
        String wrong = "wrong-" + UUID.randomUUID();
        io.mfagov.scanner.config.ScannerSettings settings = Simulators.settings(sim)
                .withClientSecret(MSP_CLIENT_ID, "unused-default-" + UUID.randomUUID(), sim.authorityUrl());
        RemediationService service = new RemediationService(new GraphClientFactory(settings,
                io.mfagov.scanner.graph.CredentialSets.of(settings,
                        secretSet("msp", MSP_SECRET), secretSet("rotated-away", wrong))), Clock.systemUTC(), 100);
        long reads = sim.counters().forTenant(tenant, "caPolicy");

        EventPayload refused = service.answer(withRef(plan(tenant), "rotated-away"));
        EventPayload planned = service.answer(withRef(plan(tenant), "msp"));

        assertThat(refused).isInstanceOfSatisfying(RemediationFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(RemediationFailure.GRAPH_ERROR);
            assertThat(failed.message()).contains("CREDENTIALS_REJECTED").contains("AADSTS7000215")
                    .contains("'rotated-away'").doesNotContain(wrong);
            assertThat(failed.graphRequestCount()).isZero();
        });
        assertThat(planned).isInstanceOf(RemediationPlanned.class);
        assertThat(sim.counters().forTenant(tenant, "caPolicy")).as("only the second request read").isEqualTo(reads + 1);
    }

    private static io.mfagov.scanner.graph.CredentialSet secretSet(String name, String secret) {
        return new io.mfagov.scanner.graph.CredentialSet(name, java.util.Optional.of(MSP_CLIENT_ID),
                java.util.Optional.of(secret), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), sim.authorityUrl());
    }

    private static RemediationRequested withRef(RemediationRequested r, String credentialRef) {
        return new RemediationRequested(r.remediationId(), r.requestId(), r.tenantId(), r.mode(), r.reason(), r.policyId(),
                r.principalType(), r.principalId(), r.principalDisplayName(), r.via(), r.soleRoute(),
                r.groupMembershipAllowed(), r.protectedIds(), r.plan(), r.expectedModifiedDateTime(), r.expectedUsers(),
                r.requestedAt(), r.requestedBy(), r.notAfter(), credentialRef);
    }

    @Test
    void aTokenWhoseRolesLackTheWritePermissionIsRefusedBeforeAnyWriteWithExactlyTheMissingPermission() {
        String tenant = RemediationTenants.ROLES_PRECHECK;
        Set<String> granted = new HashSet<>(TenantFixture.DEFAULT_GRANTED_PERMISSIONS);
        granted.remove("Policy.ReadWrite.ConditionalAccess");
        sim.admin().setGrantedPermissions(tenant, granted);
        RemediationService service = withSecret();
        RemediationRequested planRequest = plan(tenant);
        RemediationPlanned planned = (RemediationPlanned) service.answer(planRequest);

        EventPayload answer = service.answer(apply(planRequest, planned.plan()));

        assertThat(planned.plan().kind()).isEqualTo(PlanKind.EXCLUDE_LIST);
        assertThat(answer).isInstanceOfSatisfying(RemediationFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(RemediationFailure.ENFORCEMENT_NOT_PERMITTED);
            assertThat(failed.missingPermissions()).containsExactly("Policy.ReadWrite.ConditionalAccess");
            assertThat(failed.message()).contains("token roles").doesNotContain(MSP_SECRET);
            assertThat(failed.graphRequestCount()).isZero();
        });
        assertThat(sim.counters().forTenant(tenant, "caPolicyPatch")).isZero();
        assertThat(sim.admin().changes(tenant)).isEmpty();
    }

    @Test
    void aMembershipOfARoleAssignableGroupNeedsRoleManagementTooAndIsRefusedWithoutItBeforeTheWrite() {
        String tenant = RemediationTenants.ROLE_ASSIGNABLE;
        Set<String> granted = new HashSet<>(TenantFixture.DEFAULT_GRANTED_PERMISSIONS);
        granted.remove("RoleManagement.ReadWrite.Directory");
        sim.admin().setGrantedPermissions(tenant, granted);
        RemediationService service = withSecret();
        Via via = new Via(ViaKind.GROUP, GROUP, "Legacy Scanners", List.of(new PathStep(ViaKind.GROUP, GROUP, "Legacy Scanners")));
        RemediationRequested planRequest = new RemediationRequested(UUID.randomUUID(), UUID.randomUUID(), tenant,
                RemediationMode.PLAN, RemediationReason.RETIRED, POLICY, PrincipalType.USER, HOST, "Host One", via, true,
                true, List.of(BG1), null, null, null, Instant.now(), "requester", Instant.now().plusSeconds(3600), null);
        RemediationPlan plan = ((RemediationPlanned) service.answer(planRequest)).plan();

        EventPayload answer = service.answer(apply(planRequest, plan));

        assertThat(plan.kind()).isEqualTo(PlanKind.GROUP_MEMBERSHIP);
        assertThat(plan.steps()).anyMatch(s -> s.contains("RoleManagement.ReadWrite.Directory"));
        assertThat(answer).isInstanceOfSatisfying(RemediationFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(RemediationFailure.ENFORCEMENT_NOT_PERMITTED);
            assertThat(failed.missingPermissions()).containsExactly("RoleManagement.ReadWrite.Directory");
            assertThat(failed.message()).contains("role-assignable");
        });
        assertThat(sim.counters().forTenant(tenant, "groupMemberRemove")).isZero();
        assertThat(sim.admin().changes(tenant)).isEmpty();
    }

    @Test
    void aWriteGraphKeepsThrottlingFailsAfterTheCaRetryBudgetWithEveryRequestCountedAndNothingWritten() {
        String tenant = RemediationTenants.THROTTLED;
        RemediationService service = withStaticToken();
        RemediationRequested planRequest = plan(tenant);
        RemediationPlan plan = ((RemediationPlanned) service.answer(planRequest)).plan();
        sim.admin().setTenantFaults(tenant, FaultSpec.none().withErrorShare(429, 1.0).onlyFor(Set.of("caPolicyPatch")));
        try {
            EventPayload answer = service.answer(apply(planRequest, plan));

            long patches = sim.counters().forTenant(tenant, "caPolicyPatch");
            assertThat(patches).isGreaterThan(1);
            assertThat(answer).isInstanceOfSatisfying(RemediationFailed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(RemediationFailure.GRAPH_ERROR);
                assertThat(failed.message()).contains("429").contains("not applied");
                // the read before, every PATCH attempt, the read back
                assertThat(failed.graphRequestCount()).isEqualTo((int) (patches + 2));
            });
            assertThat(sim.admin().changes(tenant)).isEmpty();
        } finally {
            sim.admin().setTenantFaults(tenant, null);
        }
    }

    @Test
    void aReplayedRequestIdIsSkippedWithoutAGraphRequest() {
        String tenant = RemediationTenants.THROTTLED;
        RemediationService service = withStaticToken();
        RemediationRequested planRequest = plan(tenant);
        List<EventPayload> published = new ArrayList<>();

        service.process(planRequest, published::add);
        long reads = sim.counters().forTenant(tenant, "caPolicy");
        service.process(planRequest, published::add);

        assertThat(published).hasSize(1);
        assertThat(sim.counters().forTenant(tenant, "caPolicy")).isEqualTo(reads);
    }

    @Test
    void caRequestsOfATenantArePacedAcrossRemediationsAndScans() throws Exception {
        io.mfagov.scanner.graph.TenantPacer pacer = io.mfagov.scanner.graph.TenantPacer.conditionalAccess(Duration.ofMillis(200));
        long start = System.nanoTime();
        pacer.acquire(1);
        pacer.acquire(1);
        pacer.acquire(1);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }
}
