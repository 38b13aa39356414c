package io.mfagov.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.mfagov.devstack.testing.KafkaTestResource;

/** Uses the JVM-wide broker of {@link KafkaTestResource}, as the services' tests will. */
class EmbeddedKafkaTest {

    private static Map<String, String> quarkusConfig;

    @BeforeAll
    static void startBroker() {
        long started = System.nanoTime();
        KafkaTestResource resource = new KafkaTestResource();
        resource.init(Map.of(KafkaTestResource.TOPICS, "devstack.orders, devstack.audit"));
        quarkusConfig = resource.start();
        System.out.printf("Kafka broker: ready in %d ms (first start in this JVM, incl. class loading)%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Test
    void kafkaBrokerDeliversAProducedRecordToAConsumer() throws Exception {
        assertThat(quarkusConfig)
                .containsEntry("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers())
                .containsEntry("quarkus.kafka.devservices.enabled", "false");
        assertThat(KafkaTestResource.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");

        List<String> sent = List.of("order-1", "order-2", "order-3", "order-4", "order-5", "order-6");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (String value : sent) {
                producer.send(new ProducerRecord<>("devstack.orders", value, value));
            }
            producer.flush();
        }

        String group = "orders-" + UUID.randomUUID();
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(group))) {
            consumer.subscribe(List.of("devstack.orders"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            consumer.commitSync();
        }

        assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(received.stream().map(ConsumerRecord::partition).distinct()).as("partitions used")
                .hasSizeGreaterThan(1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestResource.bootstrapServers()))) {
            long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(committed).as("offsets committed by the group").isEqualTo(sent.size());
        }
    }

    @Test
    void topicsGetThreePartitionsWhetherCreatedOrAutoCreated() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            producer.send(new ProducerRecord<>("devstack.auto-created", "k", "v")).get();
        }
        KafkaTestResource.createTopics(3, "devstack.audit"); // exists already: no error

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestResource.bootstrapServers()))) {
            var topics = admin.describeTopics(Set.of("devstack.orders", "devstack.audit", "devstack.auto-created"))
                    .allTopicNames().get();
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
        }
    }

    private static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private static Properties consumerConfig(String groupId) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    @Test
    void aSaslScramBrokerServesScramClientsAndRefusesPlaintextOnes() throws Exception {
        try (EmbeddedKafka sasl = EmbeddedKafka.builder()
                .dataDir(java.nio.file.Path.of("target/devstack/kafka-sasl-" + UUID.randomUUID()))
                .saslScram()
                .start()) {
            Map<String, String> client = sasl.clientProperties();
            assertThat(client).containsEntry("security.protocol", "SASL_PLAINTEXT")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsKey("sasl.jaas.config");
            sasl.createTopics(1, "devstack.secured");

            Map<String, Object> producer = new java.util.HashMap<>(client);
            producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(),
                    new StringSerializer())) {
                p.send(new ProducerRecord<>("devstack.secured", "k", "over SCRAM")).get();
            }
            try (io.mfagov.devstack.testing.KafkaTestClient reader = new io.mfagov.devstack.testing.KafkaTestClient(client)) {
                assertThat(reader.readUntil("devstack.secured", Duration.ofSeconds(30), r -> !r.isEmpty()))
                        .extracting(ConsumerRecord::value).containsExactly("over SCRAM");
            }

            Map<String, Object> plaintext = Map.of("bootstrap.servers", sasl.bootstrapServers(),
                    "request.timeout.ms", 3000, "default.api.timeout.ms", 5000);
            try (Admin admin = Admin.create(plaintext)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> admin.describeCluster().nodes().get(10, java.util.concurrent.TimeUnit.SECONDS))
                        .as("a plaintext client is refused");
            }
            Map<String, Object> wrongPassword = new java.util.HashMap<>(client);
            wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"mfagov\" password=\"" + UUID.randomUUID() + "\";");
            wrongPassword.put("request.timeout.ms", 5_000);
            wrongPassword.put("default.api.timeout.ms", 10_000);
            try (Admin admin = Admin.create(wrongPassword)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> admin.describeCluster().nodes().get(15, java.util.concurrent.TimeUnit.SECONDS))
                        .as("a wrong password is refused")
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }
        }
    }
}
