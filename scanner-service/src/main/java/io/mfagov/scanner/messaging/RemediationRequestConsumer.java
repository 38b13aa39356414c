package io.mfagov.scanner.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.RemediationRequested;
import io.mfagov.scanner.service.RemediationService;
import io.mfagov.support.messaging.ApplicationStopping;
import io.mfagov.support.messaging.BatchIntake;
import io.mfagov.support.messaging.KafkaIncomingRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code mfagov.remediation-requests} as consumer group {@code mfagov-scanner-remediation} and answers each
 * request on {@code mfagov.scan-results} (RemediationPlanned, RemediationApplied or RemediationFailed, keyed by tenant).
 * Through the shared {@link BatchIntake}: a record that cannot be decoded, or asks for something this scanner cannot
 * carry out ({@link RemediationService#validate}), goes to {@code mfagov.remediation-requests.dlq} with the reason, and
 * the consumer goes on. A redelivered request is skipped if answered recently, and otherwise writes nothing twice: a
 * write happens only while the tenant still matches the request's expected state, before its {@code notAfter}.
 */
@ApplicationScoped
public class RemediationRequestConsumer {

    private final BatchIntake<EventEnvelope<RemediationRequested>> intake;

    public RemediationRequestConsumer(RemediationService remediations, ScanResultPublisher publisher,
                                      MeterRegistry registry, ApplicationStopping stopping) {
        Clock clock = Clock.systemUTC();
        this.intake = BatchIntake.<RemediationRequested>forEvents("remediation-requests", registry)
                .decoder(value -> EventCodec.get().decode(value, RemediationRequested.class))
                .validator(event -> RemediationService.validate(event.payload()))
                .apply(requests -> {
                    int answered = 0;
                    for (EventEnvelope<RemediationRequested> request : requests) {
                        if (remediations.process(request.payload(),
                                answer -> publisher.publish(List.of(EventEnvelope.wrap(answer, clock.instant()))))) {
                            answered++;
                        }
                    }
                    return answered; // the rest were replays of requests answered recently
                })
                .stopping(stopping)
                .build();
    }

    @Incoming("remediation-requests")
    @Blocking(value = "remediations", ordered = false)
    public CompletionStage<Void> consume(KafkaRecord<String, String> record) {
        intake.take(List.of(KafkaIncomingRecord.of(record)));
        return CompletableFuture.completedFuture(null);
    }
}
