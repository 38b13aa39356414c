package io.mfagov.register.messaging;

import io.mfagov.model.EventCodec;
import io.mfagov.model.kafka.EventRecords;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.repository.OutboxMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Relays the outbox to Kafka: unsent rows, oldest first, locked with SKIP LOCKED (so replicas
 * share the work), sent and acknowledged by the broker, then marked sent in the same transaction.
 * At-least-once: a crash after the send but before the commit sends the row again; consumers
 * deduplicate on the event id / alertId. A crash after the state change but before the send loses
 * nothing: the row waits here until a relay runs.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final EntityManager em;
    private final RegisterConfig config;
    private final String bootstrapServers;
    private volatile Producer<String, String> producer;
    private volatile boolean paused;

    public OutboxRelay(EntityManager em, RegisterConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.em = em;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    @Scheduled(every = "${register.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "outbox-relay")
    void poll() {
        if (!config.outbox().relayEnabled() || paused) {
            return;
        }
        try {
            relayAll();
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay failed, will retry: %s", e.getMessage());
        }
    }

    /** Stops relaying (operations, and tests simulating a crash between commit and send). */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
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

    /** Age of the oldest unsent row (zero when none), for readiness. */
    public Duration lag() {
        Instant oldest = QuarkusTransaction.requiringNew().call(() -> (Instant) em
                .createQuery("select min(createdAt) from OutboxMessage where sentAt is null").getSingleResult());
        return oldest == null ? Duration.ZERO : Duration.between(oldest, Instant.now());
    }

    private record Batch(int sent, boolean failed) {
    }

    private Batch relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<OutboxMessage> batch = em.createNativeQuery("select * from outbox where sent_at is null"
                            + " order by id limit ?1 for update skip locked", OutboxMessage.class)
                    .setParameter(1, config.outbox().batchSize()).getResultList();
            if (batch.isEmpty()) {
                return new Batch(0, false);
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
            for (OutboxMessage message : batch) {
                acks.add(producer().send(EventRecords.toRecord(EventCodec.get().decode(message.payload))));
            }
            List<Long> sent = new ArrayList<>();
            String error = null;
            for (int i = 0; i < batch.size(); i++) {
                try {
                    acks.get(i).get(30, TimeUnit.SECONDS);
                    sent.add(batch.get(i).id);
                } catch (Exception e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                    break; // keep order: later rows wait for the next run
                }
            }
            Instant now = Instant.now();
            if (!sent.isEmpty()) {
                em.createNativeQuery("update outbox set sent_at = ?1, attempts = attempts + 1 where id in (?2)")
                        .setParameter(1, now).setParameter(2, sent).executeUpdate();
            }
            if (error != null) {
                long failed = batch.get(sent.size()).id;
                em.createNativeQuery("update outbox set attempts = attempts + 1, last_error = ?1 where id = ?2")
                        .setParameter(1, error.length() > 1000 ? error.substring(0, 1000) : error)
                        .setParameter(2, failed).executeUpdate();
                LOG.warnf("outbox row %d not acknowledged: %s", failed, error);
            }
            return new Batch(sent.size(), error != null);
        });
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> props = new HashMap<>();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "register-outbox-relay");
                    producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
                }
            }
        }
        return producer;
    }

    void close(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
