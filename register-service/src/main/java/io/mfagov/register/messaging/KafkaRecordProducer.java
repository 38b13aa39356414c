package io.mfagov.register.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The register's own Kafka producer (acks=all, idempotent), used by the outbox relay; created on first use, so the
 * service starts without a broker and readiness reports it.
 *
 * <p>It is configured from the same {@code kafka.*} properties as the SmallRye channels (Quarkus'
 * {@code default-kafka-broker} map: bootstrap servers, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, …),
 * so a TLS or SASL/SCRAM broker reaches it as it reaches the channels; only its delivery guarantees are set here.
 * Its client metrics are bound to Micrometer ({@code kafka.producer.*}).
 */
@ApplicationScoped
public class KafkaRecordProducer {

    private final Map<String, Object> kafkaConfig;
    private final MeterRegistry registry;
    private volatile Producer<String, String> producer;
    private volatile KafkaClientMetrics metrics;

    public KafkaRecordProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry registry) {
        this.kafkaConfig = kafkaConfig;
        this.registry = registry;
    }

    /** Sends; the future completes when the broker has the record. */
    public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
        return producer().send(record);
    }

    /**
     * The producer's settings: every {@code kafka.*} property, then the register's delivery guarantees, which the
     * outbox relies on and which configuration cannot weaken.
     */
    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "register");
        kafkaConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        props.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return props;
    }

    private Producer<String, String> producer() {
        Producer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    KafkaProducer<String, String> created = new KafkaProducer<>(producerConfig(kafkaConfig),
                            new StringSerializer(), new StringSerializer());
                    KafkaClientMetrics bound = new KafkaClientMetrics(created);
                    bound.bindTo(registry);
                    metrics = bound;
                    producer = created;
                }
                p = producer;
            }
        }
        return p;
    }

    void close(@Observes ShutdownEvent event) {
        Producer<String, String> p = producer;
        if (p != null) {
            KafkaClientMetrics m = metrics;
            if (m != null) {
                m.close();
            }
            p.close(Duration.ofSeconds(5));
        }
    }
}
