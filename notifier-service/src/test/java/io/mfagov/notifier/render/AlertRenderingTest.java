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

    @Test
    void anUnusedExceptionIsACardWithItsUsageFactsTheSuggestedRetirementAndTheExceptionsLink() {
        AlertRaised alert = unusedException();

        JsonNode card = factory.alertCard(alert);

        assertThat(AdaptiveCardStructure.violationsOfCard(card)).isEmpty();
        assertThat(card.at("/body/0/text").asText()).isEqualTo("Unused MFA exception");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Default");
        assertThat(facts(card)).containsEntry("Principal", "svc-imap@contoso.example")
                .containsEntry("Last sign-in", "none seen").containsEntry("Unused for", "no sign-in in 120 days of history")
                .doesNotContainKey(AlertRaised.SUGGESTED_ACTION);
        assertThat(texts(card)).anySatisfy(t -> assertThat(t).startsWith(
                "Suggested action: Retire the exception: revoke it in the register"));
        assertThat(card.at("/actions/0/type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo("https://register.msp.example/api/v1/exceptions/x-1");
    }

    @Test
    void singleFactorSignInsAndAPrivilegedUserWhoCannotDoMfaAreCardsWithTheirFactsAndSuggestedAction() {
        JsonNode signIns = factory.alertCard(singleFactorSignIns());
        assertThat(AdaptiveCardStructure.violationsOfCard(signIns)).isEmpty();
        assertThat(signIns.at("/body/0/text").asText()).isEqualTo("Single-factor sign-ins");
        assertThat(signIns.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(facts(signIns)).containsEntry("Single-factor sign-ins", "12 (previous scan: 5)")
                .containsEntry("Client apps", "IMAP4, Exchange ActiveSync").containsEntry("Excluded", "no")
                .containsEntry("Privileged", "yes");
        assertThat(texts(signIns)).anySatisfy(t -> assertThat(t).startsWith("Suggested action: Find out what signs in"));

        JsonNode admin = factory.alertCard(notRegisteredPrivileged());
        assertThat(AdaptiveCardStructure.violationsOfCard(admin)).isEmpty();
        assertThat(admin.at("/body/0/text").asText()).isEqualTo("Privileged user cannot do MFA");
        assertThat(facts(admin)).containsEntry("Gap", "NOT_REGISTERED: no MFA method registered");
        assertThat(texts(admin)).anySatisfy(t -> assertThat(t).startsWith("Suggested action: Have adm@contoso.example"));
    }

    @Test
    void theWebhookBodyOfTheGapSignalKindsCarriesTheirFactsAndTheSuggestedActionOnTop() throws Exception {
        for (AlertRaised alert : List.of(unusedException(), singleFactorSignIns(), notRegisteredPrivileged())) {
            JsonNode body = JSON.readTree(factory.immediate(DestinationType.WEBHOOK, "whsec_0123456789abcdef",
                    new MessageFactory.Item("d-1", alert)).body());
            assertThat(body.path("kind").asText()).isEqualTo(alert.kind().name());
            assertThat(body.path("title").asText()).isEqualTo(MessageFactory.title(alert.kind()));
            assertThat(body.path("suggestedAction").asText()).isEqualTo(alert.facts().get(AlertRaised.SUGGESTED_ACTION));
            assertThat(body.path("facts").path(AlertRaised.SUGGESTED_ACTION).asText())
                    .isEqualTo(alert.facts().get(AlertRaised.SUGGESTED_ACTION));
        }
        JsonNode plain = JSON.readTree(factory.immediate(DestinationType.WEBHOOK, null,
                new MessageFactory.Item("d-2", noMfaEnforcement())).body());
        assertThat(plain.has("suggestedAction")).isFalse();
    }

    @Test
    void aDigestWithTheNewKindsSaysWhatItHoldsAndShowsEachSuggestedAction() {
        List<MessageFactory.Item> items = List.of(new MessageFactory.Item("d-1", unusedException()),
                new MessageFactory.Item("d-2", unusedException()), new MessageFactory.Item("d-3", singleFactorSignIns()));

        JsonNode card = factory.digestCard(TENANT, items);

        assertThat(AdaptiveCardStructure.violationsOfCard(card)).isEmpty();
        assertThat(card.at("/body/0/text").asText()).isEqualTo("3 alerts for Contoso Ltd");
        assertThat(card.at("/body/1/text").asText()).isEqualTo("Unused MFA exception: 2 · Single-factor sign-ins: 1");
        assertThat(card.toString()).contains("Suggested action: Retire the exception", "Suggested action: Find out what");
        JsonNode reminders = factory.digestCard(TENANT, List.of(new MessageFactory.Item("d-1", unusedException())));
        assertThat(reminders.at("/body/0/text").asText()).isEqualTo("1 reminder for Contoso Ltd");
    }

    @Test
    void everyRemediationKindHasItsOwnTitleAndAConflictIsAnAttentionCardWithTheRollbackLink() {
        assertThat(List.of(AlertKind.REMEDIATION_PLANNED, AlertKind.REMEDIATION_APPLIED, AlertKind.REMEDIATION_FAILED,
                AlertKind.REMEDIATION_CONFLICT)).extracting(MessageFactory::title).doesNotHaveDuplicates()
                .doesNotContain(MessageFactory.GENERIC_TITLE);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("Policy", "Require MFA for all users");
        facts.put("Removed", "svc-imap@contoso.example from excludeUsers");
        facts.put("Also changed", "/state");
        facts.put(AlertRaised.SUGGESTED_ACTION, "Check the policy; roll the removal back if the other change was not meant");
        AlertRaised conflict = new AlertRaised("REMEDIATION_CONFLICT:r-1:q-1", TENANT, AlertKind.REMEDIATION_CONFLICT,
                Severity.HIGH, "Policy 'Require MFA for all users' changed by someone else during a removal", null, "x-1",
                facts, List.of(new io.mfagov.model.events.AlertLink("Open the remediation",
                "https://register.msp.example/api/v1/remediations/r-1")), Instant.parse("2026-12-05T08:00:00Z"));

        JsonNode card = factory.alertCard(conflict);

        assertThat(AdaptiveCardStructure.violationsOfCard(card)).isEmpty();
        assertThat(card.at("/body/0/text").asText()).isEqualTo("Policy changed during an MFA exclusion removal");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(facts(card)).containsEntry("Also changed", "/state");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo("https://register.msp.example/api/v1/remediations/r-1");
    }

    @Test
    void everyOnboardingKindHasItsOwnTitleAndAnAccessProblemOffersTheAdminConsentUrlAsItsFirstAction() {
        assertThat(List.of(AlertKind.ACCESS_PROBLEM, AlertKind.TENANT_DISCOVERED, AlertKind.RELATIONSHIP_EXPIRING,
                AlertKind.RELATIONSHIP_ENDED)).extracting(MessageFactory::title).doesNotHaveDuplicates()
                .doesNotContain(MessageFactory.GENERIC_TITLE);
        String consentUrl = "https://login.microsoftonline.com/" + TENANT + "/v2.0/adminconsent?client_id="
                + "9d5c3a40-1111-4222-8333-444455556666&scope=https://graph.microsoft.com/.default";
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", TENANT);
        facts.put("Tenant name", "Contoso Ltd");
        facts.put("Access", "MISSING_PERMISSIONS");
        facts.put("Permissions to grant", "Policy.Read.All");
        facts.put("Who can grant", "a Privileged Role Administrator or Global Administrator of the tenant");
        facts.put(AlertRaised.SUGGESTED_ACTION, "Grant Policy.Read.All to the app in the tenant");
        AlertRaised alert = new AlertRaised("ACCESS_PROBLEM:" + TENANT + ":MISSING_PERMISSIONS:s-1", TENANT,
                AlertKind.ACCESS_PROBLEM, Severity.HIGH, "Contoso Ltd cannot be scanned: the app lacks Policy.Read.All",
                null, null, facts, List.of(new io.mfagov.model.events.AlertLink("Grant admin consent", consentUrl),
                new io.mfagov.model.events.AlertLink("Open the tenant", "https://register.msp.example/api/v1/tenants/" + TENANT)),
                Instant.parse("2026-12-06T08:00:00Z"));

        JsonNode card = factory.alertCard(alert);

        assertThat(AdaptiveCardStructure.violationsOfCard(card)).isEmpty();
        assertThat(card.at("/body/0/text").asText()).isEqualTo("Tenant access problem: consent, permissions or credentials");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(facts(card)).containsEntry("Permissions to grant", "Policy.Read.All")
                .doesNotContainKey(AlertRaised.SUGGESTED_ACTION);
        assertThat(card.at("/actions/0/type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/title").asText()).isEqualTo("Grant admin consent");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo(consentUrl);
        assertThat(card.toString()).contains("Suggested action: Grant Policy.Read.All");
    }

    static AlertRaised unusedException() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("Principal", "svc-imap@contoso.example");
        facts.put("Last sign-in", "none seen");
        facts.put("Unused for", "no sign-in in 120 days of history");
        facts.put(AlertRaised.SUGGESTED_ACTION, "Retire the exception: revoke it in the register and remove"
                + " svc-imap@contoso.example from the policy's exclusions");
        return new AlertRaised("UNUSED_EXCEPTION:x-1:USER:svc:none", TENANT, AlertKind.UNUSED_EXCEPTION, Severity.LOW,
                "MFA exception LEGACY_APP x-1 for svc-imap@contoso.example is unused: no sign-in in 120 days; retire it",
                null, "x-1", facts, List.of(new io.mfagov.model.events.AlertLink("Open the exception",
                "https://register.msp.example/api/v1/exceptions/x-1")), Instant.parse("2026-12-05T08:00:00Z"));
    }

    static AlertRaised singleFactorSignIns() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("User", "adm@contoso.example");
        facts.put("Single-factor sign-ins", "12 (previous scan: 5)");
        facts.put("Apps", "Office 365 Exchange Online");
        facts.put("Client apps", "IMAP4, Exchange ActiveSync");
        facts.put("Last seen", "2026-12-05T07:00:00Z");
        facts.put("Privileged", "yes");
        facts.put("Excluded", "no");
        facts.put(AlertRaised.SUGGESTED_ACTION, "Find out what signs in without MFA, then close that way");
        return new AlertRaised("SINGLE_FACTOR_SIGNINS:" + TENANT + ":user-1:scan-1", TENANT, AlertKind.SINGLE_FACTOR_SIGNINS,
                Severity.HIGH, "Privileged user adm@contoso.example signs in without MFA more often: 12 times, was 5",
                null, null, facts, null, Instant.parse("2026-12-05T08:00:00Z"));
    }

    static AlertRaised notRegisteredPrivileged() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("User", "adm@contoso.example");
        facts.put("Gap", "NOT_REGISTERED: no MFA method registered");
        facts.put(AlertRaised.SUGGESTED_ACTION, "Have adm@contoso.example register a phishing-resistant MFA method now");
        return new AlertRaised("NOT_REGISTERED_PRIVILEGED:" + TENANT + ":user-1:scan-1", TENANT,
                AlertKind.NOT_REGISTERED_PRIVILEGED, Severity.HIGH, "Privileged user adm@contoso.example cannot do MFA",
                null, null, facts, null, Instant.parse("2026-12-05T08:00:00Z"));
    }

    private static List<String> texts(JsonNode card) {
        List<String> texts = new java.util.ArrayList<>();
        card.path("body").forEach(e -> {
            if ("TextBlock".equals(e.path("type").asText())) {
                texts.add(e.path("text").asText());
            }
        });
        return texts;
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
