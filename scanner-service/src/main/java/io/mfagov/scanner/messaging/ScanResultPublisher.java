package io.mfagov.scanner.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.kafka.EventRecords;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes a scan's results to {@code mfagov.scan-results}, keyed by tenant id, and waits until
 * the broker has acknowledged every record: detections first, then the {@code ScanCompleted}.
 *
 * <p>Backpressure: each scan sends at most {@value #CHUNK} records before waiting for their
 * acknowledgements, so the records in flight are bounded by (concurrent scans × {@value #CHUNK});
 * the emitter's buffer ({@value #BUFFER}) holds that bound for up to 32 concurrent scans, on top of
 * the Kafka sink's own in-flight window. Without this a tenant with thousands of exclusions, or many
 * tenants at once, overflowed the emitter and lost the scan.
 */
@ApplicationScoped
public class ScanResultPublisher {

    static final int CHUNK = 128;
    static final int BUFFER = 4096;

    private final Emitter<String> emitter;

    public ScanResultPublisher(@Channel("scan-results") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
            Emitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Sends the events in order and blocks until all are acknowledged; throws if any is not. */
    public void publish(List<? extends EventEnvelope<? extends EventPayload>> events) {
        for (int from = 0; from < events.size(); from += CHUNK) {
            publishChunk(events.subList(from, Math.min(events.size(), from + CHUNK)));
        }
    }

    private void publishChunk(List<? extends EventEnvelope<? extends EventPayload>> events) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope<? extends EventPayload> event = events.get(i);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            Message<String> message = Message.of(EventCodec.get().encode(event))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                            .withKey(event.key())
                            .withHeaders(EventRecords.headers(event))
                            .build())
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        ack.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    });
            emitter.send(message);
            acks[i] = ack;
        }
        try {
            CompletableFuture.allOf(acks).join();
        } catch (CompletionException e) {
            throw new IllegalStateException("scan results were not acknowledged by Kafka", e.getCause());
        }
    }
}
