package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.SaslKafkaTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.kafka.EventRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.completed;
import static io.mfagov.register.RegisterTestSupport.newTenant;
import static io.mfagov.register.RegisterTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The register against a broker that accepts only SASL/SCRAM (no plaintext listener), configured only through the
 * kafka.* properties a production deployment sets: its consumer reads scan results, its outbox producer publishes
 * the alerts, and its dead letters reach the DLQ, all over SCRAM.
 */
@QuarkusTest
@WithTestResource(SaslKafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class SaslScramKafkaTest {

    private static final String POLICY = "99999999-2222-3333-4444-555555555555";

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(SaslKafkaTestResource.clientProperties());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void scanResultsComeInAndAlertsGoOutOverScram() {
        String tenant = newTenant();
        send(user(UUID.randomUUID(), tenant, POLICY, UUID.randomUUID().toString(), Instant.now()));

        List<AlertRaised> alerts = alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.UNAPPROVED_EXCLUSION));

        assertThat(alerts).anySatisfy(a -> assertThat(a.kind()).isEqualTo(AlertKind.UNAPPROVED_EXCLUSION));
    }

    @Test
    void aBadScanResultIsDeadLetteredOverScramAndTheNextIsStillApplied() {
        String tenant = newTenant();
        String garbage = "{\"eventType\":\"ScanCompleted\", not json " + UUID.randomUUID();

        kafka.send(Topics.SCAN_RESULTS, tenant, garbage);
        send(completed(UUID.randomUUID(), tenant, ScanStatus.FAILED, 0, Instant.now()));

        assertThat(alerts(tenant, a -> a.stream().anyMatch(x -> x.kind() == AlertKind.SCAN_FAILED)))
                .as("the record after the bad one was applied").isNotEmpty();
        ConsumerRecord<String, String> dead = kafka.readUntil(Topics.deadLetter(Topics.SCAN_RESULTS), Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> garbage.equals(r.value())))
                .stream().filter(r -> garbage.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("the bad record is not on the DLQ"));
        assertThat(header(dead, "dead-letter-reason")).contains("not JSON");
        assertThat(header(dead, "dead-letter-topic")).isEqualTo(Topics.SCAN_RESULTS);
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).as("the intake counts its dead letters")
                .containsPattern("mfagov_intake_records_total\\{[^}]*outcome=\"dead-lettered\"[^}]*\\} [1-9]");
        assertThat(metrics).as("the outbox producer is seen by Micrometer")
                .containsPattern("kafka_producer_record_send_total\\{[^}]*client_id=\"register\"");
    }

    @Test
    void aPlaintextClientIsRefused() {
        assertThat(SaslKafkaTestResource.refusesPlaintextClients()).isTrue();
    }

    private static void send(io.mfagov.model.EventPayload payload) {
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(payload, Instant.now())));
    }

    private static List<AlertRaised> alerts(String tenant, java.util.function.Predicate<List<AlertRaised>> until) {
        List<ConsumerRecord<String, String>> records = kafka.readUntil(Topics.ALERTS, Duration.ofSeconds(30),
                rs -> until.test(decode(rs, tenant)));
        return decode(records, tenant);
    }

    private static List<AlertRaised> decode(List<ConsumerRecord<String, String>> records, String tenant) {
        return records.stream().filter(r -> tenant.equals(r.key()))
                .map(r -> EventCodec.get().decode(r.value(), AlertRaised.class).payload()).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
