package io.mfagov.register.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends single records of a batch to the dead-letter topic, as SmallRye's dead-letter-queue strategy would (same key,
 * value and headers, plus {@code dead-letter-reason}, {@code -cause}, {@code -exception-class-name},
 * {@code -topic}, {@code -partition}, {@code -offset}), so that one bad record does not fail its whole batch.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final KafkaRecordProducer producer;
    private final String topic;

    public DeadLetters(KafkaRecordProducer producer,
            @ConfigProperty(name = "mp.messaging.incoming.scan-results.dead-letter-queue.topic",
                    defaultValue = "mfagov.scan-results.dlq") String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Sends the record with the reason; the returned future completes when the broker has it. */
    public Future<RecordMetadata> send(ConsumerRecord<String, String> record, Throwable reason) {
        LOG.warnf("scan result %s-%d@%d goes to %s: %s", record.topic(), record.partition(), record.offset(), topic,
                message(reason));
        ProducerRecord<String, String> dead = new ProducerRecord<>(topic, null, record.key(), record.value());
        for (Header header : record.headers()) {
            dead.headers().add(header);
        }
        add(dead, "dead-letter-exception-class-name", reason.getClass().getName());
        add(dead, "dead-letter-reason", message(reason));
        if (reason.getCause() != null) {
            add(dead, "dead-letter-cause-class-name", reason.getCause().getClass().getName());
            add(dead, "dead-letter-cause", message(reason.getCause()));
        }
        add(dead, "dead-letter-topic", record.topic());
        add(dead, "dead-letter-partition", Integer.toString(record.partition()));
        add(dead, "dead-letter-offset", Long.toString(record.offset()));
        return producer.send(dead);
    }

    /** Waits until the broker has every one of them; a failure is thrown (the batch is then nacked). */
    public static void await(List<Future<RecordMetadata>> sent) {
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending to the dead-letter topic", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("could not send to the dead-letter topic", e);
            }
        }
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static void add(ProducerRecord<?, ?> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
