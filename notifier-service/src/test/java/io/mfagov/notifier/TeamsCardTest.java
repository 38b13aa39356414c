package io.mfagov.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.support.AdaptiveCardStructure;
import io.mfagov.notifier.support.NotifierTestResource;
import io.mfagov.notifier.support.RecordingSink;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Teams through a Workflows webhook: Adaptive Card 1.4 messages, immediate or as a digest, to a real HTTP server. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class TeamsCardTest extends NotifierTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordingSink sink = RecordingSink.start();

    @jakarta.inject.Inject
    io.mfagov.notifier.delivery.DeliveryWorker worker;

    @AfterEach
    void stopSink() {
        worker.resume();
        sink.close();
    }

    @Test
    void anUnapprovedExclusionArrivesAtOnceAsAnAdaptiveCardWithEveryFactAndLinks() throws Exception {
        String tenant = newTenant();
        teams(tenant, sink.url("/workflows/teams"));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        RecordingSink.Received received = eventually(sink::delivered, d -> !d.isEmpty()).get(0);
        assertThat(received.path()).isEqualTo("/workflows/teams");
        assertThat(received.header("Content-Type")).startsWith("application/json");
        JsonNode message = JSON.readTree(received.body());
        assertThat(AdaptiveCardStructure.violationsOfMessage(message)).isEmpty();
        JsonNode card = message.at("/attachments/0/content");
        assertThat(card.path("version").asText()).isEqualTo("1.4");
        assertThat(facts(card.path("body"))).containsAllEntriesOf(Map.of(
                "Tenant", "Contoso Ltd",
                "Principal", alert.facts().get("Principal"),
                "Policy", "Require MFA for all users",
                "Path", "group:Legacy Scanners > group:Scanner Hosts",
                "Status", "UNAPPROVED",
                "Expiry", "2026-12-31T00:00:00Z",
                "Reason", "Legacy scanner without modern auth"));
        assertThat(card.toString()).contains(alert.subject());
        assertThat(card.path("actions")).hasSize(2);
        assertThat(card.at("/actions/0/type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo(alert.links().get(0).url());
        assertThat(awaitDeliveryStatus(alert.alertId(), "DELIVERED")).containsEntry("mode", "IMMEDIATE");
    }

    @Test
    void aScanFailureIsSentImmediatelyEvenWithoutFactsOrLinks() throws Exception {
        String tenant = newTenant();
        teams(tenant, sink.url("/teams"));
        AlertRaised bare = new AlertRaised("SCAN_FAILED:" + tenant + ":2026-11-27", tenant, AlertKind.SCAN_FAILED,
                Severity.CRITICAL, "Scan of Contoso failed: consent revoked", null, null, null, null, java.time.Instant.now());

        publish(bare);

        JsonNode message = JSON.readTree(eventually(sink::delivered, d -> !d.isEmpty()).get(0).body());
        assertThat(AdaptiveCardStructure.violationsOfMessage(message)).isEmpty();
        assertThat(facts(message.at("/attachments/0/content/body"))).containsEntry("Tenant", tenant);
    }

    @Test
    void noMfaEnforcementAndAnUncoveredPrivilegedUserArriveAtOnceAsCardsTitledForThem() throws Exception {
        String tenant = newTenant();
        teams(tenant, sink.url("/coverage"));
        AlertRaised none = alert(tenant, AlertKind.NO_MFA_ENFORCEMENT, Severity.CRITICAL);
        AlertRaised admin = alert(tenant, AlertKind.UNCOVERED_PRIVILEGED_USER, Severity.HIGH);

        publish(none);
        publish(admin);

        List<RecordingSink.Received> received = eventually(sink::delivered, d -> d.size() >= 2);
        Map<String, JsonNode> cardsByTitle = new java.util.HashMap<>();
        for (RecordingSink.Received r : received) {
            JsonNode message = JSON.readTree(r.body());
            assertThat(AdaptiveCardStructure.violationsOfMessage(message)).isEmpty();
            JsonNode card = message.at("/attachments/0/content");
            cardsByTitle.put(card.at("/body/0/text").asText(), card);
        }
        assertThat(cardsByTitle).containsOnlyKeys("No MFA enforced in the tenant", "Privileged user without MFA");
        assertThat(cardsByTitle.values()).allSatisfy(card -> assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention"));
        assertThat(cardsByTitle.get("No MFA enforced in the tenant").toString()).contains(none.subject(), "Severity CRITICAL");
        assertThat(cardsByTitle.get("Privileged user without MFA").toString()).contains(admin.subject(), "Severity HIGH");
        assertThat(awaitDeliveryStatus(none.alertId(), "DELIVERED")).containsEntry("mode", "IMMEDIATE");
        assertThat(awaitDeliveryStatus(admin.alertId(), "DELIVERED")).containsEntry("mode", "IMMEDIATE");
    }

    @Test
    void expiringAndReviewDueAlertsOfOneTenantArriveAsOneDigestCardPerWindow() throws Exception {
        String tenant = newTenant();
        String other = newTenant();
        String destination = teams(tenant, sink.url("/digest"));
        teams(other, sink.url("/digest-other"));
        List<AlertRaised> alerts = List.of(alert(tenant, AlertKind.EXPIRING, Severity.MEDIUM),
                alert(tenant, AlertKind.EXPIRING, Severity.MEDIUM), alert(tenant, AlertKind.REVIEW_DUE, Severity.LOW));
        AlertRaised otherTenants = alert(other, AlertKind.EXPIRING, Severity.MEDIUM);

        // The worker waits while the alerts come in, so that arrivals straddling a window boundary (2 s in
        // tests) cannot split the digest: whatever is due for a tenant when it runs goes as one card.
        worker.pause();
        alerts.forEach(NotifierTestBase::publish);
        publish(otherTenants);
        List<Map<String, Object>> pending = alerts.stream().map(a -> awaitDeliveryStatus(a.alertId(), "PENDING")).toList();
        java.time.Instant windowEnd = pending.stream().map(d -> java.time.Instant.parse((String) d.get("nextAttemptAt")))
                .max(java.util.Comparator.naturalOrder()).orElseThrow();
        assertThat(windowEnd).as("digests wait for the end of their window").isAfter(alerts.get(0).raisedAt());
        awaitDeliveryStatus(otherTenants.alertId(), "PENDING");
        eventually(java.time.Instant::now, now -> now.isAfter(windowEnd));
        worker.resume();

        alerts.forEach(a -> awaitDeliveryStatus(a.alertId(), "DELIVERED"));
        awaitDeliveryStatus(otherTenants.alertId(), "DELIVERED");
        List<RecordingSink.Received> cards = sink.delivered().stream().filter(r -> r.path().equals("/digest")).toList();
        assertThat(cards).as("one digest card for the tenant's three reminders").hasSize(1);
        JsonNode message = JSON.readTree(cards.get(0).body());
        assertThat(AdaptiveCardStructure.violationsOfMessage(message)).isEmpty();
        JsonNode body = message.at("/attachments/0/content/body");
        assertThat(body.get(0).path("text").asText()).isEqualTo("3 reminders for Contoso Ltd");
        List<JsonNode> containers = new ArrayList<>();
        body.forEach(e -> {
            if ("Container".equals(e.path("type").asText())) {
                containers.add(e);
            }
        });
        assertThat(containers).hasSize(3);
        assertThat(message.toString()).contains(alerts.get(0).subject(), alerts.get(1).subject(), alerts.get(2).subject());
        assertThat(deliveries("destinationId=" + destination)).allSatisfy(d -> assertThat(d).containsEntry("mode", "DIGEST"));
        assertThat(sink.delivered().stream().filter(r -> r.path().equals("/digest-other"))).hasSize(1);
    }

    private static Map<String, String> facts(JsonNode body) {
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        body.forEach(e -> {
            if ("FactSet".equals(e.path("type").asText())) {
                e.path("facts").forEach(f -> facts.put(f.path("title").asText(), f.path("value").asText()));
            }
        });
        return facts;
    }
}
