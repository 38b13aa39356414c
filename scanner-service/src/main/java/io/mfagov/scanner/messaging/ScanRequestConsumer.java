package io.mfagov.scanner.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.ScanRequested;
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
 * Consumes {@code mfagov.scan-requests} as consumer group {@code mfagov-scanner}: replicas share tenants. Each request
 * goes through the shared {@link BatchIntake}: one that cannot be decoded (the codec's refusal names the field) goes to
 * {@code mfagov.scan-requests.dlq} with the reason, and the consumer goes on. Several tenants are scanned at once
 * (worker pool {@code tenant-scans}); the same tenant never twice at a time. A redelivered request scans the tenant
 * again, which is harmless: a scan is a snapshot, and the register applies each result event once.
 */
@ApplicationScoped
public class ScanRequestConsumer {

    private final BatchIntake<EventEnvelope<ScanRequested>> intake;

    public ScanRequestConsumer(ScanService scans, MeterRegistry registry, ApplicationStopping stopping) {
        this.intake = BatchIntake.<ScanRequested>forEvents("scan-requests", registry)
                .decoder(value -> EventCodec.get().decode(value, ScanRequested.class))
                .apply(requests -> {
                    requests.forEach(request -> scans.scan(request.payload()));
                    return requests.size();
                })
                .stopping(stopping)
                .build();
    }

    @Incoming("scan-requests")
    @Blocking(value = "tenant-scans", ordered = false)
    public CompletionStage<Void> consume(KafkaRecord<String, String> record) {
        intake.take(List.of(KafkaIncomingRecord.of(record)));
        return CompletableFuture.completedFuture(null);
    }
}
