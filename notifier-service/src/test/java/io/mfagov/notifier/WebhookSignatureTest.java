package io.mfagov.notifier;

import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.notifier.support.NotifierTestResource;
import io.mfagov.notifier.support.RecordingSink;
import io.mfagov.notifier.support.Tokens;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(NotifierTestResource.class)
class WebhookSignatureTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void aWebhookCarriesTheAlertSignedSoThatAnIndependentVerifierAcceptsIt() throws Exception {
        String tenant = newTenant();
        var created = webhook(tenant, sink.url("/psa/hook"));
        String secret = created.getString("secret");
        assertThat(secret).startsWith("whsec_");
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        RecordingSink.Received received = eventually(sink::delivered, d -> !d.isEmpty()).get(0);
        assertThat(io.mfagov.notifier.support.PsaSignatureVerifier.verify(secret, received.header("X-Mfagov-Timestamp"),
                received.header("X-Mfagov-Signature"), received.body(), Instant.now(), Duration.ofMinutes(5))).isTrue();
        assertThat(received.header("X-Mfagov-Signature")).matches("v1=[0-9a-f]{64}");
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(received.body());
        assertThat(body.path("alertId").asText()).isEqualTo(alert.alertId());
        assertThat(body.path("kind").asText()).isEqualTo("UNAPPROVED_EXCLUSION");
        assertThat(body.path("tenantId").asText()).isEqualTo(tenant);
        assertThat(body.path("facts").path("Principal").asText()).isEqualTo(alert.facts().get("Principal"));
        assertThat(body.path("deliveryId").asText()).isEqualTo(received.header("X-Mfagov-Event-Id"))
                .isEqualTo(onlyDelivery(alert.alertId()).get("id"));
    }

    @Test
    void theCoverageAlertKindsReachAPsaSignedWithTheirKindSeverityAndTitle() throws Exception {
        String tenant = newTenant();
        String secret = webhook(tenant, sink.url("/psa/coverage")).getString("secret");
        AlertRaised none = alert(tenant, AlertKind.NO_MFA_ENFORCEMENT, Severity.CRITICAL);
        AlertRaised admin = alert(tenant, AlertKind.UNCOVERED_PRIVILEGED_USER, Severity.HIGH);

        publish(none);
        publish(admin);

        List<RecordingSink.Received> received = eventually(sink::delivered, d -> d.size() >= 2);
        Map<String, com.fasterxml.jackson.databind.JsonNode> byKind = new java.util.HashMap<>();
        for (RecordingSink.Received r : received) {
            assertThat(io.mfagov.notifier.support.PsaSignatureVerifier.verify(secret, r.header("X-Mfagov-Timestamp"),
                    r.header("X-Mfagov-Signature"), r.body(), Instant.now(), Duration.ofMinutes(5))).isTrue();
            var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            byKind.put(body.path("kind").asText(), body);
        }
        assertThat(byKind).containsOnlyKeys("NO_MFA_ENFORCEMENT", "UNCOVERED_PRIVILEGED_USER");
        assertThat(byKind.get("NO_MFA_ENFORCEMENT").path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(byKind.get("NO_MFA_ENFORCEMENT").path("title").asText()).isEqualTo("No MFA enforced in the tenant");
        assertThat(byKind.get("NO_MFA_ENFORCEMENT").path("alertId").asText()).isEqualTo(none.alertId());
        assertThat(byKind.get("UNCOVERED_PRIVILEGED_USER").path("severity").asText()).isEqualTo("HIGH");
        assertThat(byKind.get("UNCOVERED_PRIVILEGED_USER").path("title").asText()).isEqualTo("Privileged user without MFA");
        assertThat(byKind.get("UNCOVERED_PRIVILEGED_USER").path("subject").asText()).isEqualTo(admin.subject());
    }

    @Test
    void theVerifierRejectsATamperedBodyAWrongSecretAndAStaleTimestamp() {
        String tenant = newTenant();
        String secret = webhook(tenant, sink.url("/psa")).getString("secret");
        publish(alert(tenant, AlertKind.EXPIRED, Severity.MEDIUM));
        RecordingSink.Received r = eventually(sink::delivered, d -> !d.isEmpty()).get(0);
        String ts = r.header("X-Mfagov-Timestamp");
        String sig = r.header("X-Mfagov-Signature");
        byte[] tampered = r.bodyText().replace("EXPIRED", "EXPIRING").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(io.mfagov.notifier.support.PsaSignatureVerifier.verify(secret, ts, sig, tampered, Instant.now(), Duration.ofMinutes(5))).isFalse();
        assertThat(io.mfagov.notifier.support.PsaSignatureVerifier.verify(secret + "x", ts, sig, r.body(), Instant.now(), Duration.ofMinutes(5))).isFalse();
        assertThat(io.mfagov.notifier.support.PsaSignatureVerifier.verify(secret, ts, sig, r.body(), Instant.now().plusSeconds(3600), Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void aGivenSecretSignsAndNeitherSecretNorUrlQueryIsEverShownAgain() {
        String tenant = newTenant();
        String given = "psa-shared-secret-" + java.util.UUID.randomUUID();
        var created = createDestination(Map.of("name", "PSA given", "tenantId", tenant, "type", "WEBHOOK",
                "url", sink.url("/hook") + "?token=query-credential", "secret", given));
        String id = created.getString("destination.id");
        assertThat(created.getString("destination.url")).doesNotContain("query-credential");

        String shown = given().header("Authorization", Tokens.admin()).get("/api/v1/destinations/" + id).asString();
        String listed = given().header("Authorization", Tokens.admin()).get("/api/v1/destinations?tenantId=" + tenant).asString();
        assertThat(shown).doesNotContain(given).doesNotContain("query-credential").contains("\"signed\":true");
        assertThat(listed).doesNotContain(given).doesNotContain("query-credential");

        AlertRaised alert = alert(tenant, AlertKind.ORPHANED_EXCEPTION, Severity.LOW);
        publish(alert);
        RecordingSink.Received r = eventually(sink::delivered, d -> !d.isEmpty()).get(0);
        assertThat(r.path()).isEqualTo("/hook");
        assertThat(io.mfagov.notifier.support.PsaSignatureVerifier.verify(given, r.header("X-Mfagov-Timestamp"),
                r.header("X-Mfagov-Signature"), r.body(), Instant.now(), Duration.ofMinutes(5))).isTrue();
    }
}
