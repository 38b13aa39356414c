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
class RetryTest extends NotifierTestBase {

    private final RecordingSink sink = RecordingSink.start();

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilDeliveredOnce() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        sink.then(RecordingSink.Answer.status(500), RecordingSink.Answer.status(503));
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);

        Map<String, Object> delivery = awaitDeliveryStatus(alert.alertId(), "DELIVERED");
        assertThat(delivery).containsEntry("attempts", 3).containsEntry("lastStatusCode", 200);
        assertThat(sink.all()).extracting(RecordingSink.Received::answeredWith).containsExactly(500, 503, 200);
        assertThat(sink.deliveredMentioning(alert.alertId())).isEqualTo(1);
    }

    @Test
    void tooManyRequestsIsRetriedNoSoonerThanRetryAfterSays() {
        String tenant = newTenant();
        teams(tenant, sink.url("/teams"));
        sink.then(RecordingSink.Answer.tooManyRequests("2"));
        AlertRaised alert = alert(tenant, AlertKind.SCAN_FAILED, Severity.HIGH);

        publish(alert);

        awaitDeliveryStatus(alert.alertId(), "DELIVERED");
        List<RecordingSink.Received> requests = sink.all();
        assertThat(requests).extracting(RecordingSink.Received::answeredWith).containsExactly(429, 200);
        // The default backoff in tests is at most 0.5 s: only Retry-After explains a 2 s wait.
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aDestinationThatTimesOutIsRetried() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        sink.then(RecordingSink.Answer.slow(200, Duration.ofMillis(2500)));
        AlertRaised alert = alert(tenant, AlertKind.EXPIRED, Severity.HIGH);

        publish(alert);

        Map<String, Object> delivery = awaitDeliveryStatus(alert.alertId(), "DELIVERED");
        assertThat((Integer) delivery.get("attempts")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aDestinationDownForAWhileGetsEverythingExactlyOnceWhenItIsBack() {
        String tenant = newTenant();
        webhook(tenant, sink.url("/psa"));
        sink.answerByDefault(RecordingSink.Answer.status(503));
        List<AlertRaised> alerts = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH)).toList();

        alerts.forEach(NotifierTestBase::publish);
        eventually(() -> deliveries("tenantId=" + tenant), d -> d.size() == alerts.size()
                && d.stream().allMatch(x -> "PENDING".equals(x.get("status")) && (Integer) x.get("attempts") >= 2));
        assertThat(sink.delivered()).isEmpty();
        sink.answerByDefault(RecordingSink.Answer.status(200));

        alerts.forEach(a -> awaitDeliveryStatus(a.alertId(), "DELIVERED"));
        alerts.forEach(a -> assertThat(sink.deliveredMentioning(a.alertId())).isEqualTo(1));
        assertThat(sink.delivered()).hasSize(alerts.size());
    }

    @Test
    void aDestinationRefusingConnectionsIsRetriedAndServedWhenItComesUp() throws Exception {
        String tenant = newTenant();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        webhook(tenant, "http://127.0.0.1:" + port + "/psa");
        AlertRaised alert = alert(tenant, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH);

        publish(alert);
        Map<String, Object> failing = eventually(() -> onlyDeliveryOrNull(alert.alertId()),
                d -> d != null && (Integer) d.get("attempts") >= 2);
        assertThat(failing).containsEntry("status", "PENDING");
        assertThat((String) failing.get("lastError")).containsIgnoringCase("refused");

        try (RecordingSink late = RecordingSink.start(port)) {
            awaitDeliveryStatus(alert.alertId(), "DELIVERED");
            assertThat(late.deliveredMentioning(alert.alertId())).isEqualTo(1);
        }
    }

    private static Map<String, Object> onlyDeliveryOrNull(String alertId) {
        List<Map<String, Object>> found = deliveries("alertId=" + alertId);
        return found.size() == 1 ? found.get(0) : null;
    }
}
