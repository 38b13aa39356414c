package io.mfagov.register.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.register.service.ScanResultService;
import io.mfagov.support.messaging.TransientFailures;
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
 * transaction, and those that still fail go to the dead-letter topic. A transient failure (database down, deadlock, no
 * connection: {@link TransientFailures}) is never a reason to dead-letter: the batch, or the record, is retried in place
 * with capped exponential backoff until it applies, and the consumer waits meanwhile (no offset is committed). Offsets
 * are committed after that; only a failure of this handling itself nacks the batch (the channel's dead-letter-queue
 * strategy then takes it).
 */
@ApplicationScoped
public class ScanResultsConsumer {

    private static final Logger LOG = Logger.getLogger(ScanResultsConsumer.class);
    static final long FIRST_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 10_000;

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
                retryingTransient("a batch of " + items.size() + " scan results",
                        () -> QuarkusTransaction.requiringNew().run(() -> scanResults.applyAll(envelopes)));
            } catch (RuntimeException batchFailure) {
                LOG.warnf(batchFailure, "a batch of %d scan results failed; applying them one by one", items.size());
                for (Item item : items) {
                    try {
                        retryingTransient(describe(item.record()),
                                () -> QuarkusTransaction.requiringNew().run(() -> scanResults.applyAll(List.of(item.envelope()))));
                    } catch (RuntimeException e) {
                        dead.add(deadLetters.send(item.record(), e));
                    }
                }
            }
        }
        DeadLetters.await(dead);
    }

    /**
     * Runs the work, again and again while it fails transiently (the database is down or restarting, a deadlock, no
     * connection to be had: {@link TransientFailures#isTransient}), waiting {@value #FIRST_BACKOFF_MS} ms, then twice as
     * long each time up to {@value #MAX_BACKOFF_MS} ms. The consumer stalls meanwhile, which is right: the records are
     * good, nothing is dead-lettered and no offset is committed. A failure of the record itself is thrown at once.
     */
    void retryingTransient(String what, Runnable work) {
        long backoff = FIRST_BACKOFF_MS;
        boolean interrupted = false;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    work.run();
                    if (attempt > 1) {
                        LOG.infof("%s applied after %d attempts", what, attempt);
                    }
                    return;
                } catch (RuntimeException e) {
                    if (!TransientFailures.isTransient(e)) {
                        throw e;
                    }
                    LOG.warnf("%s failed transiently (attempt %d), retrying in %d ms: %s", what, attempt, backoff, e);
                }
                // An interrupt (shutdown) does not end the wait: leaving would acknowledge the batch (committing its
                // offsets) or nack it (the dead-letter strategy). The process exits with the offsets uncommitted.
                long until = System.nanoTime() + backoff * 1_000_000;
                for (long left = backoff; left > 0; left = (until - System.nanoTime()) / 1_000_000) {
                    try {
                        Thread.sleep(left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String describe(ConsumerRecord<String, String> record) {
        return "scan result " + record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
