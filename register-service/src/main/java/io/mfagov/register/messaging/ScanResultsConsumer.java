package io.mfagov.register.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.register.service.ScanResultService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Consumes {@code mfagov.scan-results} a poll at a time (batch, up to {@code max.poll.records}). Each record is decoded
 * on its own: one that is not a valid scan result goes to {@code mfagov.scan-results.dlq} with the reason and the rest
 * are applied in one transaction. Should that transaction fail, the records are applied one by one, each in its own
 * transaction, and those that still fail go to the dead-letter topic. Offsets are committed after that; only a failure
 * of this handling itself nacks the batch (the channel's dead-letter-queue strategy then takes it).
 */
@ApplicationScoped
public class ScanResultsConsumer {

    private static final Logger LOG = Logger.getLogger(ScanResultsConsumer.class);

    private final ScanResultService scanResults;
    private final DeadLetters deadLetters;

    public ScanResultsConsumer(ScanResultService scanResults, DeadLetters deadLetters) {
        this.scanResults = scanResults;
        this.deadLetters = deadLetters;
    }

    private record Item(ConsumerRecord<String, String> record, EventEnvelope<EventPayload> envelope) {
    }

    @Incoming("scan-results")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, String> records) {
        List<Future<RecordMetadata>> dead = new ArrayList<>();
        List<Item> items = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                EventEnvelope<EventPayload> envelope = EventCodec.get().decode(record.value());
                if (!(envelope.payload() instanceof ExclusionDetected) && !(envelope.payload() instanceof ScanCompleted)) {
                    throw new IllegalArgumentException(envelope.eventType() + " does not belong on the scan results topic");
                }
                items.add(new Item(record, envelope));
            } catch (RuntimeException e) {
                dead.add(deadLetters.send(record, e));
            }
        }
        if (!items.isEmpty()) {
            try {
                List<EventEnvelope<EventPayload>> envelopes = items.stream().map(Item::envelope).toList();
                QuarkusTransaction.requiringNew().run(() -> scanResults.applyAll(envelopes));
            } catch (RuntimeException batchFailure) {
                LOG.warnf(batchFailure, "a batch of %d scan results failed; applying them one by one", items.size());
                for (Item item : items) {
                    try {
                        QuarkusTransaction.requiringNew().run(() -> scanResults.applyAll(List.of(item.envelope())));
                    } catch (RuntimeException e) {
                        dead.add(deadLetters.send(item.record(), e));
                    }
                }
            }
        }
        DeadLetters.await(dead);
    }
}
