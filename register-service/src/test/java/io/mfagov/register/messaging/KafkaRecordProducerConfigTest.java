package io.mfagov.register.messaging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox's producer gets every kafka.* client setting the channels get, and keeps its delivery guarantees. */
class KafkaRecordProducerConfigTest {

    @Test
    void securitySettingsOfTheSharedKafkaConfigurationReachTheProducer() {
        Map<String, Object> props = KafkaRecordProducer.producerConfig(Map.of(
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/ca.p12",
                "ssl.truststore.type", "PKCS12"));

        assertThat(props).containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
                .containsEntry("ssl.truststore.type", "PKCS12");
    }

    @Test
    void theOutboxDeliveryGuaranteesCannotBeWeakenedByConfiguration() {
        Map<String, Object> props = KafkaRecordProducer.producerConfig(Map.of(
                "bootstrap.servers", "broker:9092", "acks", "0", "enable.idempotence", "false"));

        assertThat(props).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }

    @Test
    void settingsThatAreNotProducerSettingsAreLeftOut() {
        Map<String, Object> props = KafkaRecordProducer.producerConfig(Map.of(
                "bootstrap.servers", "broker:9092", "group.id", "mfagov-register", "devservices.enabled", "false"));

        assertThat(props).doesNotContainKeys("group.id", "devservices.enabled");
    }
}
