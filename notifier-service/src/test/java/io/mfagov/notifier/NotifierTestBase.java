package io.mfagov.notifier;

import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertLink;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.Severity;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.notifier.support.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** What the notifier's tests share: alerts over the real broker, destinations over the real API. */
abstract class NotifierTestBase {

    static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static String newTenant() {
        return UUID.randomUUID().toString();
    }

    /** An alert as the register raises it, with every fact a card shows. */
    static AlertRaised alert(String tenant, AlertKind kind, Severity severity) {
        String principal = "svc-" + UUID.randomUUID().toString().substring(0, 8) + "@contoso.com";
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Tenant", "Contoso Ltd");
        facts.put("Principal", principal);
        facts.put("Policy", "Require MFA for all users");
        facts.put("Path", "group:Legacy Scanners > group:Scanner Hosts");
        facts.put("Status", kind == AlertKind.UNAPPROVED_EXCLUSION ? "UNAPPROVED" : "EXPIRING");
        facts.put("Expiry", "2026-12-31T00:00:00Z");
        facts.put("Reason", "Legacy scanner without modern auth");
        String exclusionId = UUID.randomUUID().toString();
        return new AlertRaised(kind + ":" + tenant + ":" + exclusionId, tenant, kind, severity,
                principal + " excluded from 'Require MFA for all users'", exclusionId, "exc-" + exclusionId.substring(0, 8),
                facts, List.of(new AlertLink("Open in the register", "https://register.msp.example/exceptions/" + exclusionId),
                        new AlertLink("Approve", "https://console.msp.example/exclusions/" + exclusionId)),
                Instant.now());
    }

    /** Publishes the alert as the register's outbox would: a fresh event id every time. */
    static void publish(AlertRaised alert) {
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(alert, Instant.now())));
    }

    static void publish(EventEnvelope<AlertRaised> envelope) {
        kafka.send(EventRecords.toRecord(envelope));
    }

    /** Creates a destination through the API; returns the JSON answer (destination + secret once). */
    static JsonPath createDestination(Map<String, Object> body) {
        return given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/destinations")
                .then().statusCode(201).contentType(ContentType.JSON).extract().jsonPath();
    }

    static String teams(String tenant, String url, AlertKind... kinds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Teams " + UUID.randomUUID());
        body.put("tenantId", tenant);
        body.put("type", "TEAMS_WORKFLOW");
        body.put("url", url);
        if (kinds.length > 0) {
            body.put("kinds", List.of(kinds));
        }
        return createDestination(body).getString("destination.id");
    }

    static JsonPath webhook(String tenant, String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "PSA " + UUID.randomUUID());
        body.put("tenantId", tenant);
        body.put("type", "WEBHOOK");
        body.put("url", url);
        return createDestination(body);
    }

    static List<Map<String, Object>> deliveries(String query) {
        return given().header("Authorization", Tokens.reader())
                .when().get("/api/v1/deliveries?" + query)
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

    static Map<String, Object> onlyDelivery(String alertId) {
        List<Map<String, Object>> found = deliveries("alertId=" + alertId);
        if (found.size() != 1) {
            throw new AssertionError("expected one delivery of " + alertId + " but found " + found);
        }
        return found.get(0);
    }

    static Map<String, Object> awaitDeliveryStatus(String alertId, String status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> deliveries("alertId=" + alertId).stream()
                        .filter(d -> status.equals(d.get("status"))).findFirst().orElse(null), d -> d != null);
    }

    static <T> T eventually(Callable<T> value, Predicate<T> until) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(value, until::test);
    }
}
