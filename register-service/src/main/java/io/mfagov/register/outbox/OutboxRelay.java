package io.mfagov.register.outbox;

import io.mfagov.register.messaging.KafkaRecordProducer;

import io.mfagov.model.EventCodec;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.service.PausableTask;
import io.mfagov.register.entity.OutboxMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Relays the outbox to Kafka: unsent rows, oldest first, locked with SKIP LOCKED (so replicas
 * share the work), sent and acknowledged by the broker, then marked sent in the same transaction.
 * At-least-once: a crash after the send but before the commit sends the row again; consumers
 * deduplicate on the event id / alertId. A crash after the state change but before the send loses
 * nothing: the row waits here until a relay runs. A row that fails by itself (not the broker being away)
 * {@code register.outbox.max-attempts} times is parked: skipped from then on, so that it does not hold back later rows,
 * kept for an operator and counted by readiness.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final EntityManager em;
    private final RegisterConfig config;
    private final KafkaRecordProducer producer;
    private final PausableTask gate = new PausableTask();

    public OutboxRelay(EntityManager em, RegisterConfig config, KafkaRecordProducer producer) {
        this.em = em;
        this.config = config;
        this.producer = producer;
    }

    @Scheduled(every = "${register.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "outbox-relay")
    void poll() {
        if (!config.outbox().relayEnabled()) {
            return;
        }
        gate.run(() -> {
            try {
                relayAll();
            } catch (RuntimeException e) {
                LOG.warnf("outbox relay failed, will retry: %s", e.getMessage());
            }
        });
    }

    /**
     * Stops relaying (operations, and tests simulating a crash between commit and send). Returns once a scheduled run
     * in progress has finished: from then on nothing is sent until {@link #resume()}.
     */
    public void pause() {
        gate.pause();
    }

    public void resume() {
        gate.resume();
    }

    /** Relays until nothing is left; returns how many rows were sent. */
    public int relayAll() {
        int total = 0;
        Batch batch;
        do {
            batch = relayBatch();
            total += batch.sent();
        } while (!batch.failed() && batch.sent() == config.outbox().batchSize());
        return total;
    }

    /** Age of the oldest unsent row that is not parked (zero when none), for readiness. */
    public Duration lag() {
        Instant oldest = QuarkusTransaction.requiringNew().call(() -> (Instant) em
                .createQuery("select min(createdAt) from OutboxMessage where sentAt is null and parkedAt is null")
                .getSingleResult());
        return oldest == null ? Duration.ZERO : Duration.between(oldest, Instant.now());
    }

    /** How many rows are parked (failed {@code register.outbox.max-attempts} times, waiting for an operator). */
    public long parked() {
        return QuarkusTransaction.requiringNew().call(() -> em
                .createQuery("select count(o) from OutboxMessage o where o.parkedAt is not null", Long.class)
                .getSingleResult());
    }

    private record Batch(int sent, boolean failed) {
    }

    private Batch relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<OutboxMessage> batch = em.createNativeQuery("select * from outbox where sent_at is null"
                            + " and parked_at is null order by id limit ?1 for update skip locked", OutboxMessage.class)
                    .setParameter(1, config.outbox().batchSize()).getResultList();
            if (batch.isEmpty()) {
                return new Batch(0, false);
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
            for (OutboxMessage message : batch) {
                try {
                    acks.add(producer.send(EventRecords.toRecord(EventCodec.get().decode(message.payload))));
                } catch (RuntimeException e) { // a row that cannot even be sent (undecodable payload): its own failure
                    acks.add(CompletableFuture.failedFuture(e));
                    break; // keep order: later rows wait
                }
            }
            List<Long> sent = new ArrayList<>();
            String error = null;
            boolean retriable = false;
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get(30, TimeUnit.SECONDS);
                    sent.add(batch.get(i).id);
                } catch (Exception e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                    retriable = retriable(e);
                    break; // keep order: later rows wait for the next run
                }
            }
            Instant now = Instant.now();
            if (!sent.isEmpty()) {
                em.createNativeQuery("update outbox set sent_at = ?1, attempts = attempts + 1 where id in (?2)")
                        .setParameter(1, now).setParameter(2, sent).executeUpdate();
            }
            if (error != null) {
                OutboxMessage failed = batch.get(sent.size());
                // Only a failure of the row itself parks it; the broker being away (retriable) parks nothing.
                boolean park = !retriable && failed.attempts + 1 >= config.outbox().maxAttempts();
                em.createNativeQuery("update outbox set attempts = attempts + 1, last_error = ?1,"
                                + " parked_at = case when ?2 then ?3 else parked_at end where id = ?4")
                        .setParameter(1, error.length() > 1000 ? error.substring(0, 1000) : error)
                        .setParameter(2, park).setParameter(3, now)
                        .setParameter(4, failed.id).executeUpdate();
                if (park) {
                    LOG.errorf("outbox row %d (%s, %s) failed %d times and is parked; later rows go on. Last error: %s",
                            failed.id, failed.eventType, failed.dedupKey, failed.attempts + 1, error);
                } else {
                    LOG.warnf("outbox row %d not acknowledged (attempt %d of %d): %s", failed.id, failed.attempts + 1,
                            config.outbox().maxAttempts(), error);
                }
            }
            return new Batch(sent.size(), error != null);
        });
    }

    /** Whether the failure is the broker's or the network's (it passes), not the row's own. */
    static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
