package io.mfagov.notifier.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.notifier.config.NotifierConfig;
import io.mfagov.notifier.service.AlertIntakeService;
import io.mfagov.support.messaging.ApplicationStopping;
import io.mfagov.support.messaging.BatchIntake;
import io.mfagov.support.messaging.KafkaIncomingRecord;
import io.mfagov.support.messaging.RetryDelays;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mfagov.alerts} in batches (what one poll returned, in partition order) through the shared
 * {@link BatchIntake}: the readable alerts of a batch are taken in in one transaction
 * ({@link AlertIntakeService#receiveAll}, which records each alert id once), then acknowledged; unreadable ones, and
 * one that fails alone, go to {@code mfagov.alerts.dlq} with the reason. A failure that passes (database down, no
 * connection, a deadlock) is retried in place, never dead-lettered.
 */
@ApplicationScoped
public class AlertsConsumer {

    private final BatchIntake<EventEnvelope<AlertRaised>> intake;

    public AlertsConsumer(AlertIntakeService alerts, NotifierConfig config, MeterRegistry registry,
            ApplicationStopping stopping) {
        this.intake = BatchIntake.<AlertRaised>forEvents("alerts", registry)
                .decoder(value -> EventCodec.get().decode(value, AlertRaised.class))
                .apply(alerts::receiveAll)
                .retryDelays(new RetryDelays(config.intake().initialRetryBackoff(), config.intake().maxRetryBackoff()))
                .stopping(stopping)
                .build();
    }

    @Incoming("alerts")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        // One batch at a time (the next is dispatched when this one completes); the work is blocking.
        return Uni.createFrom().voidItem()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(() -> intake.take(KafkaIncomingRecord.of(batch.getRecords())));
    }
}
