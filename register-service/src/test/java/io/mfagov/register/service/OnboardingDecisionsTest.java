package io.mfagov.register.service;

import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.DelegatedRelationship;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.mfagov.register.service.OnboardingRules.RelationshipStatus.ACTIVE;
import static io.mfagov.register.service.OnboardingRules.RelationshipStatus.ENDED;
import static io.mfagov.register.service.OnboardingRules.RelationshipStatus.EXPIRING;
import static io.mfagov.register.service.OnboardingRules.RelationshipStatus.NONE;
import static io.mfagov.register.service.OnboardingRules.RelationshipStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

/** The onboarding decisions (OnboardingRules), pure: access problems, episodes, relationship summaries and alerts. */
class OnboardingDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    private static final Duration WARNING = Duration.ofDays(30);

    private static DelegatedRelationship rel(String id, String status, Instant endsAt, String autoExtend) {
        return new DelegatedRelationship(id, id, status, NOW.minus(700, ChronoUnit.DAYS), NOW.minus(699, ChronoUnit.DAYS),
                endsAt, autoExtend, List.of());
    }

    private static Instant in(int days) {
        return NOW.plus(days, ChronoUnit.DAYS);
    }

    @Test
    void accessStatusesAPersonMustFixAreProblemsAndAnUnreachableAuthorityIsNot() {
        for (AccessStatus s : List.of(AccessStatus.NO_CONSENT, AccessStatus.CREDENTIALS_REJECTED, AccessStatus.NO_CREDENTIALS,
                AccessStatus.TENANT_NOT_FOUND)) {
            assertThat(OnboardingRules.isProblem(s, List.of(), List.of(), false)).as(s.name()).isTrue();
        }
        for (AccessStatus s : List.of(AccessStatus.OK, AccessStatus.AUTHORITY_UNREACHABLE, AccessStatus.UNCHECKED,
                AccessStatus.UNKNOWN)) {
            assertThat(OnboardingRules.isProblem(s, List.of(), List.of(), true)).as(s.name()).isFalse();
        }
        assertThat(OnboardingRules.isProblem(null, List.of(), List.of(), true)).isFalse();
    }

    @Test
    void aMissingWritePermissionIsAProblemOnlyWhereEnforcementIsOn() {
        List<String> write = List.of("Policy.ReadWrite.ConditionalAccess");
        assertThat(OnboardingRules.isProblem(AccessStatus.MISSING_PERMISSIONS, List.of(), write, false)).isFalse();
        assertThat(OnboardingRules.isProblem(AccessStatus.MISSING_PERMISSIONS, List.of(), write, true)).isTrue();
        assertThat(OnboardingRules.isProblem(AccessStatus.MISSING_PERMISSIONS, List.of("Policy.Read.All"), List.of(), false))
                .isTrue();
    }

    @Test
    void anEpisodeLastsWhileTheStatusAndThePermissionsToGrantStayTheSame() {
        List<String> toGrant = OnboardingRules.permissionsToGrant(List.of("Policy.Read.All", "AuditLog.Read.All"),
                List.of("Policy.Read.All"));
        assertThat(toGrant).containsExactly("AuditLog.Read.All", "Policy.Read.All");
        Object episode = "scan-1";
        assertThat(OnboardingRules.sameEpisode("MISSING_PERMISSIONS", List.of("Policy.Read.All", "AuditLog.Read.All"),
                episode, AccessStatus.MISSING_PERMISSIONS, toGrant)).isTrue();
        assertThat(OnboardingRules.sameEpisode("MISSING_PERMISSIONS", List.of("Policy.Read.All"), episode,
                AccessStatus.MISSING_PERMISSIONS, toGrant)).isFalse();
        assertThat(OnboardingRules.sameEpisode("NO_CONSENT", List.of(), episode, AccessStatus.CREDENTIALS_REJECTED,
                List.of())).isFalse();
        assertThat(OnboardingRules.sameEpisode("NO_CONSENT", List.of(), null, AccessStatus.NO_CONSENT, List.of()))
                .as("after an OK scan the episode is over").isFalse();
    }

    @Test
    void theActionNamesTheConsentUrlAndWhoCanGrant() {
        String url = "https://login.microsoftonline.com/t/v2.0/adminconsent?client_id=c&scope=https://graph.microsoft.com/.default";
        assertThat(OnboardingRules.action(AccessStatus.NO_CONSENT, url, List.of())).contains(url)
                .contains(OnboardingRules.WHO_CAN_GRANT);
        assertThat(OnboardingRules.action(AccessStatus.MISSING_PERMISSIONS, url, List.of("Policy.Read.All")))
                .startsWith("Grant Policy.Read.All").contains(url);
        assertThat(OnboardingRules.action(AccessStatus.OK, url, List.of())).isNull();
    }

    @Test
    void relationshipsSumUpToActiveExpiringEndedPendingOrNone() {
        assertThat(OnboardingRules.summarize(List.of(rel("a", "active", in(200), null)), NOW, WARNING).status()).isEqualTo(ACTIVE);
        assertThat(OnboardingRules.summarize(List.of(rel("a", "active", in(10), "PT0S")), NOW, WARNING).status()).isEqualTo(EXPIRING);
        assertThat(OnboardingRules.summarize(List.of(rel("a", "active", in(10), "P180D")), NOW, WARNING).status()).isEqualTo(ACTIVE);
        assertThat(OnboardingRules.summarize(List.of(rel("a", "active", in(10), null), rel("b", "active", in(300), null)),
                NOW, WARNING)).satisfies(s -> {
                    assertThat(s.status()).isEqualTo(ACTIVE);
                    assertThat(s.endsAt()).isEqualTo(in(300));
                });
        assertThat(OnboardingRules.summarize(List.of(rel("a", "terminated", in(-3), null)), NOW, WARNING).status()).isEqualTo(ENDED);
        assertThat(OnboardingRules.summarize(List.of(rel("a", "terminated", in(-3), null), rel("b", "active", in(90), null)),
                NOW, WARNING).status()).isEqualTo(ACTIVE);
        assertThat(OnboardingRules.summarize(List.of(rel("a", "approvalPending", null, null)), NOW, WARNING).status()).isEqualTo(PENDING);
        assertThat(OnboardingRules.summarize(List.of(), NOW, WARNING).status()).isEqualTo(NONE);
    }

    @Test
    void anEndedAlertIsAboutTheLastEndedRelationshipAndOnlyWhenNoneGrantsAccess() {
        assertThat(OnboardingRules.endedRelationship(List.of(rel("old", "expired", in(-300), null),
                rel("recent", "terminated", in(-2), null)))).get().extracting(DelegatedRelationship::id).isEqualTo("recent");
        assertThat(OnboardingRules.endedRelationship(List.of(rel("old", "expired", in(-300), null),
                rel("live", "active", in(100), null)))).isEmpty();
    }

    @Test
    void anExpiringAlertIsOnlyForARelationshipNoOtherOutlastsOrExtends() {
        assertThat(OnboardingRules.expiringRelationships(List.of(rel("a", "active", in(10), null)), NOW, WARNING))
                .extracting(DelegatedRelationship::id).containsExactly("a");
        assertThat(OnboardingRules.expiringRelationships(List.of(rel("a", "active", in(10), null),
                rel("b", "active", in(200), null)), NOW, WARNING)).isEmpty();
        assertThat(OnboardingRules.expiringRelationships(List.of(rel("a", "active", in(10), null),
                rel("b", "active", in(20), "P180D")), NOW, WARNING)).isEmpty();
        assertThat(OnboardingRules.expiringRelationships(List.of(rel("a", "active", in(40), null)), NOW, WARNING)).isEmpty();
    }

    @Test
    void aFailedScanAnAccessProblemSpeaksForRaisesNoScanFailedButAnotherFailureAfterItDoes() {
        var failed = io.mfagov.model.events.ScanStatus.FAILED;
        assertThat(ScanResultService.raisesScanFailedAlert(failed, 1, new TenantAccess.Result(true, false))).isFalse();
        assertThat(ScanResultService.raisesScanFailedAlert(failed, 1, new TenantAccess.Result(false, false))).isTrue();
        assertThat(ScanResultService.raisesScanFailedAlert(failed, 3, new TenantAccess.Result(false, false))).isFalse();
        assertThat(ScanResultService.raisesScanFailedAlert(failed, 3, new TenantAccess.Result(false, true))).isTrue();
        assertThat(ScanResultService.raisesScanFailedAlert(io.mfagov.model.events.ScanStatus.PARTIAL, 0,
                new TenantAccess.Result(false, true))).isFalse();
    }

    @Test
    void customersOnTheDefaultSetAreNamedDefaultWhenThePartnerHasItsOwnSet() {
        List<Object[]> rows = List.of(new Object[] {"t-default", null}, new Object[] {"t-blank", " "},
                new Object[] {"t-gold", "gold"}, new Object[] {"t-partner-set", "partner-set"},
                new Object[] {"partner", null});

        assertThat(Discoveries.customerCredentialRefs(rows, "partner", "partner-set")).containsExactly(
                java.util.Map.entry("t-default", "default"), java.util.Map.entry("t-blank", "default"),
                java.util.Map.entry("t-gold", "gold"));
        assertThat(Discoveries.customerCredentialRefs(rows, "partner", null))
                .as("the partner on the default set: only other sets are named")
                .containsExactly(java.util.Map.entry("t-gold", "gold"), java.util.Map.entry("t-partner-set", "partner-set"));
    }
}
