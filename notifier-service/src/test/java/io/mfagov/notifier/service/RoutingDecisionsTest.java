package io.mfagov.notifier.service;

import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.repository.Destination;
import io.mfagov.notifier.repository.DestinationType;
import io.mfagov.notifier.repository.Mute;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure logic: which destinations an alert goes to, which mute holds it, and whether it waits for a digest. */
class RoutingDecisionsTest {

    private static final String TENANT = "11111111-1111-1111-1111-111111111111";
    private static final String OTHER_TENANT = "22222222-2222-2222-2222-222222222222";
    private static final Instant NOW = Instant.parse("2026-12-05T08:20:00Z");

    private static Destination destination(String name, String tenantId, String kinds, Severity minSeverity) {
        Destination d = new Destination();
        d.id = UUID.randomUUID();
        d.name = name;
        d.tenantId = tenantId;
        d.type = DestinationType.WEBHOOK;
        d.kinds = kinds;
        d.minSeverity = minSeverity;
        d.enabled = true;
        return d;
    }

    private static List<String> route(List<Destination> candidates, AlertKind kind, Severity severity) {
        return Routing.route(candidates, TENANT, kind, severity).stream().map(d -> d.name).toList();
    }

    @Test
    void withoutTenantDestinationsTheMspDefaultsThatTakeTheKindGet() {
        List<Destination> all = List.of(destination("msp-all", null, null, null),
                destination("msp-expiry", null, "EXPIRING,EXPIRED", null));
        assertThat(route(all, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH)).containsExactly("msp-all");
        assertThat(route(all, AlertKind.EXPIRED, Severity.HIGH)).containsExactlyInAnyOrder("msp-all", "msp-expiry");
    }

    @Test
    void aTenantsOwnDestinationForAKindReplacesTheMspDefaults() {
        List<Destination> all = List.of(destination("msp", null, null, null),
                destination("own", TENANT, "UNAPPROVED_EXCLUSION", null));
        assertThat(route(all, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH)).containsExactly("own");
    }

    @Test
    void aTenantsDestinationForOtherKindsLeavesTheMspDefaultInPlace() {
        List<Destination> all = List.of(destination("msp", null, null, null),
                destination("own", TENANT, "UNAPPROVED_EXCLUSION", null));
        assertThat(route(all, AlertKind.SCAN_FAILED, Severity.HIGH)).containsExactly("msp");
    }

    @Test
    void anotherTenantsDestinationNeverGetsTheAlert() {
        List<Destination> all = List.of(destination("msp", null, null, null), destination("theirs", OTHER_TENANT, null, null));
        assertThat(route(all, AlertKind.SCAN_FAILED, Severity.HIGH)).containsExactly("msp");
    }

    @Test
    void aDisabledDestinationGetsNothingAndDoesNotReplaceTheDefaults() {
        Destination own = destination("own", TENANT, null, null);
        own.enabled = false;
        Destination msp = destination("msp", null, null, null);
        assertThat(route(List.of(own, msp), AlertKind.EXPIRED, Severity.HIGH)).containsExactly("msp");
        msp.enabled = false;
        assertThat(route(List.of(own, msp), AlertKind.EXPIRED, Severity.HIGH)).isEmpty();
    }

    @Test
    void anAlertBelowADestinationsMinimumSeverityIsNotRoutedThere() {
        List<Destination> all = List.of(destination("msp-medium", null, null, Severity.MEDIUM), destination("msp-any", null, null, null));
        assertThat(route(all, AlertKind.SCAN_FAILED, Severity.LOW)).containsExactly("msp-any");
        assertThat(route(all, AlertKind.SCAN_FAILED, Severity.MEDIUM)).containsExactlyInAnyOrder("msp-medium", "msp-any");
        assertThat(route(all, AlertKind.SCAN_FAILED, Severity.CRITICAL)).containsExactlyInAnyOrder("msp-medium", "msp-any");
    }

    @Test
    void theMinimumSeverityFiltersAfterTheTenantReplacedTheDefaults() {
        List<Destination> all = List.of(destination("msp", null, null, null), destination("own-high", TENANT, null, Severity.HIGH));
        assertThat(route(all, AlertKind.EXPIRED, Severity.LOW)).isEmpty();
    }

    @Test
    void anUnknownSeverityFromANewerProducerIsDeliveredRatherThanDropped() {
        assertThat(Routing.reaches(Severity.UNKNOWN, Severity.CRITICAL)).isTrue();
        assertThat(Routing.reaches(Severity.INFO, null)).isTrue();
        assertThat(Routing.reaches(Severity.INFO, Severity.LOW)).isFalse();
    }

    @Test
    void anUnknownKindGoesOnlyToDestinationsTakingEveryKind() {
        List<Destination> all = List.of(destination("msp-all", null, null, null),
                destination("msp-some", null, "EXPIRED", null));
        assertThat(route(all, AlertKind.UNKNOWN, Severity.HIGH)).containsExactly("msp-all");
    }

    @Test
    void storedKindsAreSortedDistinctAndReadBackIgnoringBlanks() {
        String stored = Routing.store(List.of(AlertKind.SCAN_FAILED, AlertKind.EXPIRED, AlertKind.SCAN_FAILED));
        assertThat(stored).isEqualTo("EXPIRED,SCAN_FAILED");
        assertThat(Routing.kinds(stored)).containsExactlyInAnyOrder("EXPIRED", "SCAN_FAILED");
        assertThat(Routing.kinds(" EXPIRED , ,SCAN_FAILED ")).containsExactlyInAnyOrder("EXPIRED", "SCAN_FAILED");
        assertThat(Routing.store(List.of())).isNull();
        assertThat(Routing.kinds(null)).isEmpty();
    }

    private static AlertRaised alert(AlertKind kind, String exclusionId) {
        return new AlertRaised("a-" + UUID.randomUUID(), TENANT, kind, Severity.HIGH, "subject", exclusionId, null,
                Map.of(), List.of(), NOW);
    }

    private static Mute mute(String tenantId, AlertKind kind, String exclusionId) {
        Mute m = new Mute();
        m.id = UUID.randomUUID();
        m.tenantId = tenantId;
        m.kind = kind;
        m.exclusionId = exclusionId;
        m.until = NOW.plusSeconds(3600);
        return m;
    }

    @Test
    void aMuteHoldsAnAlertWhenEveryFieldItSetsMatches() {
        Mute exact = mute(TENANT, AlertKind.UNAPPROVED_EXCLUSION, "e1");
        assertThat(AlertIntakeService.matchingMute(List.of(exact), alert(AlertKind.UNAPPROVED_EXCLUSION, "e1")))
                .isSameAs(exact);
        assertThat(AlertIntakeService.matchingMute(List.of(exact), alert(AlertKind.UNAPPROVED_EXCLUSION, "e2"))).isNull();
        assertThat(AlertIntakeService.matchingMute(List.of(exact), alert(AlertKind.EXPIRED, "e1"))).isNull();
    }

    @Test
    void aMuteWithoutFieldsHoldsEveryAlertOfItsTenantOnly() {
        Mute tenantWide = mute(TENANT, null, null);
        assertThat(AlertIntakeService.matchingMute(List.of(tenantWide), alert(AlertKind.SCAN_FAILED, null)))
                .isSameAs(tenantWide);
        Mute otherTenant = mute(OTHER_TENANT, null, null);
        assertThat(AlertIntakeService.matchingMute(List.of(otherTenant), alert(AlertKind.SCAN_FAILED, null))).isNull();
    }

    @Test
    void aMuteForOneExclusionDoesNotHoldAnAlertAboutNoExclusion() {
        Mute one = mute(null, null, "e1");
        assertThat(AlertIntakeService.matchingMute(List.of(one), alert(AlertKind.SCAN_FAILED, null))).isNull();
    }

    @Test
    void onlyTeamsDestinationsCollectTheDigestKinds() {
        Set<String> digestKinds = Set.of("EXPIRING", "REVIEW_DUE");
        assertThat(AlertIntakeService.isDigest(DestinationType.TEAMS_WORKFLOW, "EXPIRING", digestKinds)).isTrue();
        assertThat(AlertIntakeService.isDigest(DestinationType.TEAMS_WORKFLOW, "UNAPPROVED_EXCLUSION", digestKinds)).isFalse();
        assertThat(AlertIntakeService.isDigest(DestinationType.WEBHOOK, "EXPIRING", digestKinds)).isFalse();
    }

    @Test
    void aDigestWaitsUntilTheEndOfItsEpochAlignedWindow() {
        Duration hour = Duration.ofHours(1);
        assertThat(AlertIntakeService.windowEnd(Instant.parse("2026-12-05T08:20:00Z"), hour))
                .isEqualTo(Instant.parse("2026-12-05T09:00:00Z"));
        assertThat(AlertIntakeService.windowEnd(Instant.parse("2026-12-05T08:59:59.999Z"), hour))
                .isEqualTo(Instant.parse("2026-12-05T09:00:00Z"));
        assertThat(AlertIntakeService.windowEnd(Instant.parse("2026-12-05T09:00:00Z"), hour))
                .as("an alert at a window's start waits for the whole window")
                .isEqualTo(Instant.parse("2026-12-05T10:00:00Z"));
    }
}
