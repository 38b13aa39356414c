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

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes a scan's results to {@code mfagov.scan-results}, keyed by tenant id, and waits until
 * the broker has acknowledged every record: detections first, then the {@code ScanCompleted}.
 */
@ApplicationScoped
public class ScanResultPublisher {

    private final Emitter<String> emitter;

    public ScanResultPublisher(@Channel("scan-results") Emitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Sends the events in order and blocks until all are acknowledged; throws if any is not. */
    public void publish(List<? extends EventEnvelope<? extends EventPayload>> events) {
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
