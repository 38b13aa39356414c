package io.mfagov.scanner.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.InvalidEventException;
import io.mfagov.model.events.DiscoveryRequested;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.scanner.service.DiscoveryService;
import io.mfagov.scanner.service.ScanService;
import io.mfagov.support.messaging.ApplicationStopping;
import io.mfagov.support.messaging.BatchIntake;
import io.mfagov.support.messaging.KafkaIncomingRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code mfagov.scan-requests} as consumer group {@code mfagov-scanner}: replicas share tenants. Scan requests
 * and discovery requests (keyed by the partner tenant) share the topic; any other event type is dead-lettered. Each request
 * goes through the shared {@link BatchIntake}: one that cannot be decoded (the codec's refusal names the field) goes to
 * {@code mfagov.scan-requests.dlq} with the reason, and the consumer goes on. Several tenants are scanned at once
 * (worker pool {@code tenant-scans}); the same tenant never twice at a time. A redelivered request scans the tenant
 * again, which is harmless: a scan is a snapshot, and the register applies each result event once.
 */
@ApplicationScoped
public class ScanRequestConsumer {

    private final BatchIntake<EventEnvelope<EventPayload>> intake;

    public ScanRequestConsumer(ScanService scans, DiscoveryService discoveries, MeterRegistry registry,
                               ApplicationStopping stopping) {
        this.intake = BatchIntake.<EventPayload>forEvents("scan-requests", registry)
                .decoder(ScanRequestConsumer::decode)
                .apply(requests -> {
                    for (EventEnvelope<EventPayload> request : requests) {
                        if (request.payload() instanceof ScanRequested scan) {
                            scans.scan(scan);
                        } else if (request.payload() instanceof DiscoveryRequested discovery) {
                            discoveries.discover(discovery);
                        }
                    }
                    return requests.size();
                })
                .stopping(stopping)
                .build();
    }

    /** A ScanRequested or a DiscoveryRequested; anything else is refused (dead-lettered with the reason). */
    static EventEnvelope<EventPayload> decode(String value) {
        EventEnvelope<EventPayload> envelope = EventCodec.get().decode(value);
        if (!(envelope.payload() instanceof ScanRequested) && !(envelope.payload() instanceof DiscoveryRequested)) {
            throw new InvalidEventException("expected ScanRequested or DiscoveryRequested but got " + envelope.eventType());
        }
        return envelope;
    }

    @Incoming("scan-requests")
    @Blocking(value = "tenant-scans", ordered = false)
    public CompletionStage<Void> consume(KafkaRecord<String, String> record) {
        intake.take(List.of(KafkaIncomingRecord.of(record)));
        return CompletableFuture.completedFuture(null);
    }
}
