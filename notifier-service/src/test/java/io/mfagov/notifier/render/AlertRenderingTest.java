package io.mfagov.notifier.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.repository.DestinationType;
import io.mfagov.notifier.support.AdaptiveCardStructure;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure rendering (no Quarkus): each alert kind's title, colour and webhook body, and kinds this notifier does not know. */
class AlertRenderingTest {

    private static final String TENANT = "11111111-1111-1111-1111-111111111111";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageFactory factory = new MessageFactory();

    @Test
    void everyKindTheRegisterRaisesHasATitleOfItsOwn() {
        List<AlertKind> known = Arrays.stream(AlertKind.values()).filter(k -> k != AlertKind.UNKNOWN).toList();
        List<String> titles = known.stream().map(MessageFactory::title).toList();
        assertThat(titles).doesNotContain(MessageFactory.GENERIC_TITLE).doesNotHaveDuplicates().hasSize(known.size());
        assertThat(MessageFactory.title(AlertKind.NO_MFA_ENFORCEMENT)).isEqualTo("No MFA enforced in the tenant");
        assertThat(MessageFactory.title(AlertKind.UNCOVERED_PRIVILEGED_USER)).isEqualTo("Privileged user without MFA");
    }

    @Test
    void noMfaEnforcementIsACriticalCardInTheAttentionColourWithItsFacts() {
        AlertRaised alert = noMfaEnforcement();

        JsonNode card = factory.alertCard(alert);

        assertThat(AdaptiveCardStructure.violationsOfCard(card)).isEmpty();
        assertThat(card.at("/body/0/text").asText()).isEqualTo("No MFA enforced in the tenant");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(card.at("/body/1/text").asText()).isEqualTo(alert.subject());
        assertThat(facts(card)).containsEntry("Security defaults", "off").containsEntry("Enabled MFA policies", "0");
        assertThat(card.at("/body/3/text").asText()).contains("Severity CRITICAL");
    }

    @Test
    void anUncoveredPrivilegedUserIsAnAttentionCardNamingTheUserAndTheReason() {
        AlertRaised alert = uncoveredPrivilegedUser();

        JsonNode card = factory.alertCard(alert);

        assertThat(AdaptiveCardStructure.violationsOfCard(card)).isEmpty();
        assertThat(card.at("/body/0/text").asText()).isEqualTo("Privileged user without MFA");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(facts(card)).containsEntry("User", "adm@contoso.example")
                .containsEntry("Reason", "only report-only MFA policies reach this user");
    }

    @Test
    void theWebhookBodyOfTheNewKindsCarriesTheirKindTitleAndFacts() throws Exception {
        for (AlertRaised alert : List.of(noMfaEnforcement(), uncoveredPrivilegedUser())) {
            OutgoingMessage message = factory.immediate(DestinationType.WEBHOOK, "whsec_0123456789abcdef",
                    new MessageFactory.Item("d-1", alert));

            JsonNode body = JSON.readTree(message.body());
            assertThat(body.path("type").asText()).isEqualTo("mfagov.alert");
            assertThat(body.path("kind").asText()).isEqualTo(alert.kind().name());
            assertThat(body.path("severity").asText()).isEqualTo(alert.severity().name());
            assertThat(body.path("title").asText()).isEqualTo(MessageFactory.title(alert.kind()));
            assertThat(body.path("subject").asText()).isEqualTo(alert.subject());
            assertThat(body.path("facts").path("Tenant").asText()).isEqualTo("Contoso Ltd");
            assertThat(message.headers()).containsKey("X-Mfagov-Signature");
        }
    }

    @Test
    void anAlertOfAKindThisNotifierDoesNotKnowStillRendersAsAGenericCardAndWebhook() throws Exception {
        String json = EventCodec.get().mapper().writeValueAsString(noMfaEnforcement())
                .replace("\"NO_MFA_ENFORCEMENT\"", "\"SOME_KIND_OF_A_NEWER_REGISTER\"");
        AlertRaised future = EventCodec.get().mapper().readValue(json, AlertRaised.class);
        assertThat(future.kind()).isEqualTo(AlertKind.UNKNOWN);

        JsonNode card = factory.alertCard(future);
        assertThat(AdaptiveCardStructure.violationsOfCard(card)).isEmpty();
        assertThat(card.at("/body/0/text").asText()).isEqualTo(MessageFactory.GENERIC_TITLE);
        assertThat(card.at("/body/1/text").asText()).isEqualTo(future.subject());
        assertThat(facts(card)).containsEntry("Tenant", "Contoso Ltd");

        JsonNode teams = JSON.readTree(factory.immediate(DestinationType.TEAMS_WORKFLOW, null,
                new MessageFactory.Item("d-2", future)).body());
        assertThat(AdaptiveCardStructure.violationsOfMessage(teams)).isEmpty();
        JsonNode webhook = JSON.readTree(factory.immediate(DestinationType.WEBHOOK, null,
                new MessageFactory.Item("d-3", future)).body());
        assertThat(webhook.path("title").asText()).isEqualTo(MessageFactory.GENERIC_TITLE);
        assertThat(webhook.path("subject").asText()).isEqualTo(future.subject());
    }

    static AlertRaised noMfaEnforcement() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("Security defaults", "off");
        facts.put("Enabled MFA policies", "0");
        facts.put("Report-only MFA policies", "2");
        return new AlertRaised("NO_MFA_ENFORCEMENT:" + TENANT + ":scan-1", TENANT, AlertKind.NO_MFA_ENFORCEMENT,
                Severity.CRITICAL, "Contoso Ltd enforces no MFA: no enabled MFA policy and security defaults off",
                null, null, facts, null, Instant.parse("2026-12-05T08:00:00Z"));
    }

    static AlertRaised uncoveredPrivilegedUser() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("User", "adm@contoso.example");
        facts.put("Reason", "only report-only MFA policies reach this user");
        return new AlertRaised("UNCOVERED_PRIVILEGED_USER:" + TENANT + ":user-1:scan-1", TENANT,
                AlertKind.UNCOVERED_PRIVILEGED_USER, Severity.HIGH,
                "Privileged user adm@contoso.example is not covered by any enabled MFA policy", null, null, facts, null,
                Instant.parse("2026-12-05T08:00:00Z"));
    }

    private static Map<String, String> facts(JsonNode card) {
        Map<String, String> facts = new LinkedHashMap<>();
        card.path("body").forEach(e -> {
            if ("FactSet".equals(e.path("type").asText())) {
                e.path("facts").forEach(f -> facts.put(f.path("title").asText(), f.path("value").asText()));
            }
        });
        return facts;
    }
}
