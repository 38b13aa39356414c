package io.mfagov.notifier.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.notifier.service.AlertIntakeService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes {@code mfagov.alerts} in batches (what one poll returned, in partition order): the readable
 * alerts of a batch are taken in in one transaction, then acknowledged; unreadable records are nacked one
 * by one and go to {@code mfagov.alerts.dlq} with the reason. Should the batch's transaction fail, each
 * alert is taken in on its own, and only one that fails alone goes to the DLQ.
 */
@ApplicationScoped
public class AlertsConsumer {

    private static final Logger LOG = Logger.getLogger(AlertsConsumer.class);

    private final AlertIntakeService intake;

    public AlertsConsumer(AlertIntakeService intake) {
        this.intake = intake;
    }

    @Incoming("alerts")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        // One batch at a time (the next is dispatched when this one completes); the work is blocking.
        return Uni.createFrom().voidItem()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(() -> take(batch.getRecords()));
    }

    private void take(List<KafkaRecord<String, String>> records) {
        List<KafkaRecord<String, String>> readable = new ArrayList<>(records.size());
        List<EventEnvelope<AlertRaised>> alerts = new ArrayList<>(records.size());
        for (KafkaRecord<String, String> record : records) {
            try {
                alerts.add(EventCodec.get().decode(record.getPayload(), AlertRaised.class));
                readable.add(record);
            } catch (RuntimeException e) {
                record.nack(e);
            }
        }
        if (alerts.isEmpty()) {
            return;
        }
        try {
            intake.receiveAll(alerts);
            readable.forEach(KafkaRecord::ack);
        } catch (RuntimeException batchFailure) {
            LOG.warnf("taking in %d alerts at once failed (%s); one by one", alerts.size(), batchFailure.toString());
            for (int i = 0; i < alerts.size(); i++) {
                try {
                    intake.receiveAll(List.of(alerts.get(i)));
                    readable.get(i).ack();
                } catch (RuntimeException e) {
                    readable.get(i).nack(e);
                }
            }
        }
    }
}
