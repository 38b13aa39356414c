package io.mfagov.devstack;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic creation against any broker, e.g. one started by another class loader in the same JVM. */
public final class KafkaTopics {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopics() {
    }

    /** Creates the topics with replication factor 1; topics that already exist are left as they are. */
    public static void create(String bootstrapServers, int partitions, String... names) {
        OwnClassLoader.run(() -> {
            try (Admin admin = admin(bootstrapServers)) {
                create(admin, partitions, names);
            }
        });
    }

    static void create(Admin admin, int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        List<NewTopic> topics = Arrays.stream(names)
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .distinct()
                .map(name -> new NewTopic(name, partitions, (short) 1))
                .toList();
        if (topics.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + result.getKey(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Timed out creating topic " + result.getKey(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted creating topic " + result.getKey(), e);
            }
        }
    }

    static Admin admin(String bootstrapServers) {
        return admin(bootstrapServers, Map.of());
    }

    /** An admin client with extra client settings (e.g. {@link EmbeddedKafka#clientProperties()}' security). */
    static Admin admin(String bootstrapServers, Map<String, String> clientSettings) {
        Map<String, Object> config = new LinkedHashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "devstack-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return Admin.create(config);
    }
}
