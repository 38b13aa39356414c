package io.mfagov.scanner;

import io.mfagov.devstack.testing.KafkaTestClient;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventHeaders;
import io.mfagov.model.Topics;
import io.mfagov.graphsim.testing.OnboardingFixture;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DiscoveryCompleted;
import io.mfagov.model.events.DiscoveryRequested;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanReason;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.scanner.support.CredentialSetsSimulatorResource;
import io.mfagov.scanner.support.TestTenants;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as deployed with credential sets from configuration ({@code mfagov.graph.credentials."<name>".*},
 * the default set's secret in a mounted file), real Kafka in and out, the real SDK and azure-identity against the
 * simulator: a ScanRequested's credentialRef chooses the set and the ScanCompleted carries the access check; a
 * DiscoveryRequested on the same topic is answered by a DiscoveryCompleted keyed by the partner tenant; any other
 * event type is dead-lettered.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(CredentialSetsSimulatorResource.class)
@WithTestResource(TestTokens.class)
class OnboardingFlowTest {

    private static KafkaTestClient kafka;
    /** Every log record of the service while these tests run. */
    private static final List<String> logLines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private static final java.util.logging.Handler CAPTURE = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
            String message = r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
            StringBuilder line = new StringBuilder(r.getLoggerName() + " " + message);
            if (r.getThrown() != null) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                line.append('\n').append(w);
            }
            logLines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaTestResource.bootstrapServers());
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void disconnect() {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
        kafka.close();
    }

    private static ScanCompleted scan(String tenant, String credentialRef) {
        ScanRequested request = new ScanRequested(UUID.randomUUID(), tenant, null, ScanReason.MANUAL, Instant.now(),
                "test", credentialRef);
        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(request, Instant.now())));
        ConsumerRecord<String, String> answer = await(Topics.SCAN_RESULTS, "ScanCompleted", request.requestId());
        assertThat(answer.key()).isEqualTo(tenant);
        return EventCodec.get().decode(answer.value(), ScanCompleted.class).payload();
    }

    private static ConsumerRecord<String, String> await(String topic, String type, UUID requestId) {
        return kafka.readUntil(topic, Duration.ofSeconds(60), records -> records.stream().anyMatch(r -> is(r, type, requestId)))
                .stream().filter(r -> is(r, type, requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " for " + requestId));
    }

    private static boolean is(ConsumerRecord<String, String> r, String type, UUID requestId) {
        return type.equals(EventRecords.header(r.headers(), EventHeaders.EVENT_TYPE)) && r.value().contains(requestId.toString());
    }

    @Test
    void theCredentialRefOfAScanRequestChoosesTheConfiguredSetAndTheAnswerCarriesTheAccessCheck() {
        ScanCompleted byDefault = scan(TestTenants.EMPTY, null);
        ScanCompleted byCertificate = scan(TestTenants.EMPTY, "certificate");
        ScanCompleted rejected = scan(TestTenants.EMPTY, "wrong-secret");
        ScanCompleted unknown = scan(TestTenants.EMPTY, "never-configured");

        assertThat(byDefault.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(byDefault.accessStatus()).isEqualTo(AccessStatus.OK);
        assertThat(byDefault.consentUrl()).contains("client_id=" + CredentialSetsSimulatorResource.MSP_CLIENT_ID);
        assertThat(byDefault.grantedPermissions()).contains("Policy.Read.All");
        assertThat(byCertificate.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(byCertificate.consentUrl()).contains("client_id=" + CredentialSetsSimulatorResource.CERT_APP);
        assertThat(rejected.status()).isEqualTo(ScanStatus.FAILED);
        assertThat(rejected.accessStatus()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        assertThat(rejected.error()).contains("AADSTS7000215").doesNotContain(CredentialSetsSimulatorResource.WRONG_SECRET);
        assertThat(rejected.graphRequestCount()).isZero();
        assertThat(unknown.accessStatus()).isEqualTo(AccessStatus.NO_CREDENTIALS);
        assertThat(unknown.error()).contains("never-configured");

        // the service's own log: the refusal is there, no secret and nothing shaped like a token
        assertThat(logLines).anyMatch(l -> l.contains("AADSTS7000215"));
        assertThat(logLines).noneMatch(l -> l.contains(CredentialSetsSimulatorResource.MSP_SECRET)
                || l.contains(CredentialSetsSimulatorResource.WRONG_SECRET)
                || java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.").matcher(l).find());
    }

    @Test
    void aRotatedSecretFileIsUsedByTheNextScanWithoutARestart() throws Exception {
        String retired = "retired-" + UUID.randomUUID();
        assertThat(scan(TestTenants.F2, null).status()).as("before: the cached credential works").isEqualTo(ScanStatus.COMPLETE);
        try {
            Files.writeString(CredentialSetsSimulatorResource.secretFile(), retired + "\n");
            ScanCompleted afterRotation = scan(TestTenants.F2, null);
            assertThat(afterRotation.accessStatus()).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
            assertThat(afterRotation.error()).doesNotContain(retired);
        } finally {
            Files.writeString(CredentialSetsSimulatorResource.secretFile(), CredentialSetsSimulatorResource.MSP_SECRET + "\n");
        }
        assertThat(scan(TestTenants.F2, null).status()).isEqualTo(ScanStatus.COMPLETE);
    }

    @Test
    void aDiscoveryRequestIsAnsweredWithEachCustomerThenTheCompletionKeyedByThePartnerTenant() {
        String partner = OnboardingFixture.PARTNER;
        DiscoveryRequested request = new DiscoveryRequested(UUID.randomUUID(), partner, Instant.now(), "scheduler",
                "onboarding", Map.of());

        kafka.send(EventRecords.toRecord(EventEnvelope.wrap(request, Instant.now())));

        ConsumerRecord<String, String> answer = await(Topics.SCAN_RESULTS, "DiscoveryCompleted", request.requestId());
        assertThat(answer.key()).isEqualTo(partner);
        DiscoveryCompleted completed = EventCodec.get().decode(answer.value(), DiscoveryCompleted.class).payload();
        assertThat(completed.status()).isEqualTo(ScanStatus.COMPLETE);
        assertThat(completed.requestId()).isEqualTo(request.requestId());
        List<ConsumerRecord<String, String>> customers = kafka.readUntil(Topics.SCAN_RESULTS, Duration.ofSeconds(10),
                        rs -> rs.contains(answer)).stream()
                .filter(r -> "CustomerDiscovered".equals(EventRecords.header(r.headers(), EventHeaders.EVENT_TYPE))
                        && r.value().contains(completed.discoveryId().toString())).toList();
        assertThat(customers).hasSize(7).allMatch(r -> partner.equals(r.key()) && r.offset() < answer.offset()
                && r.partition() == answer.partition());
        Map<String, CustomerDiscovered> byTenant = customers.stream()
                .map(r -> EventCodec.get().decode(r.value(), CustomerDiscovered.class).payload())
                .collect(java.util.stream.Collectors.toMap(CustomerDiscovered::customerTenantId, c -> c));
        assertThat(byTenant.keySet()).containsExactlyInAnyOrderElementsOf(OnboardingFixture.CUSTOMERS);
        assertThat(byTenant.get(OnboardingFixture.NO_CONSENT).accessStatus()).isEqualTo(AccessStatus.NO_CONSENT);
        assertThat(byTenant.get(OnboardingFixture.ACTIVE).displayName()).isEqualTo("Alpine Ski House");
    }

    @Test
    void anEventThatIsNeitherAScanNorADiscoveryRequestIsDeadLettered() {
        ScanCompleted stray = new ScanCompleted(UUID.randomUUID(), null, TestTenants.EMPTY, ScanStatus.COMPLETE,
                Instant.now(), Instant.now(), 0, 0, null, List.of(), 0, null);
        String value = EventCodec.get().encode(EventEnvelope.wrap(stray, Instant.now()));

        kafka.send(Topics.SCAN_REQUESTS, TestTenants.EMPTY, value);

        ConsumerRecord<String, String> dead = kafka.readUntil(Topics.deadLetter(Topics.SCAN_REQUESTS),
                        Duration.ofSeconds(30), records -> records.stream().anyMatch(r -> value.equals(r.value())))
                .stream().filter(r -> value.equals(r.value())).findFirst()
                .orElseThrow(() -> new AssertionError("stray event not dead-lettered"));
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("expected ScanRequested or DiscoveryRequested but got ScanCompleted");
    }
}
