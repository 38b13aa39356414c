package io.mfagov.register.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.register.service.ScanResultService;
import io.mfagov.support.messaging.ApplicationStopping;
import io.mfagov.support.messaging.BatchIntake;
import io.mfagov.support.messaging.KafkaIncomingRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mfagov.scan-results} a poll at a time (batch, up to {@code max.poll.records}) through the shared
 * {@link BatchIntake}: each record is decoded on its own and one that is not a valid scan result goes to
 * {@code mfagov.scan-results.dlq} with the reason; the rest are applied in one transaction
 * ({@link ScanResultService#applyAll}, which records the event ids with their effects). Should that transaction fail,
 * the records are applied one by one and only one that fails alone is dead-lettered. A transient failure (database
 * down, deadlock, no connection) is retried in place, never dead-lettered; no offset is committed meanwhile.
 */
@ApplicationScoped
public class ScanResultsConsumer {

    private final BatchIntake<EventEnvelope<EventPayload>> intake;

    public ScanResultsConsumer(ScanResultService scanResults, MeterRegistry registry, ApplicationStopping stopping) {
        this.intake = BatchIntake.<EventPayload>forEvents("scan-results", registry)
                .decoder(value -> EventCodec.get().decode(value))
                .validator(ScanResultsConsumer::belongsHere)
                .apply(envelopes -> QuarkusTransaction.requiringNew().call(() -> scanResults.applyAll(envelopes)))
                .stopping(stopping)
                .build();
    }

    @Incoming("scan-results")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        // One batch at a time, in partition order (the next is dispatched when this one completes); blocking work.
        return Uni.createFrom().voidItem()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(() -> intake.take(KafkaIncomingRecord.of(batch.getRecords())));
    }

    private static void belongsHere(EventEnvelope<EventPayload> envelope) {
        if (!ScanResultService.belongsOnScanResults(envelope.payload())) {
            throw new IllegalArgumentException(envelope.eventType() + " does not belong on the scan results topic");
        }
    }
}
