package io.mfagov.devstack.testing;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.mfagov.devstack.EmbeddedKafka;
import io.mfagov.devstack.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * One real Kafka broker for the whole test JVM, started on first use and stopped by a JVM shutdown hook.
 * Data lives in {@code ${devstack.dir:-target/devstack}/kafka-<random>} and is deleted at exit.
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = KafkaTestResource.class,
 *         initArgs = @ResourceArg(name = KafkaTestResource.TOPICS, value = "scan-results,exceptions"))
 * class ScanPublishesResultsTest { ... }
 * }</pre>
 *
 * <p>Config returned by {@link #start()}: {@code kafka.bootstrap.servers} and
 * {@code quarkus.kafka.devservices.enabled=false}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: comma-separated topics to create before the application starts. */
    public static final String TOPICS = "topics";
    /** Init arg: partitions of those topics; default {@value EmbeddedKafka#DEFAULT_PARTITIONS}. */
    public static final String PARTITIONS = "partitions";

    /** Only ever set in the system class loader's copy of this class. */
    private static EmbeddedKafka broker;

    private String[] topics = new String[0];
    private int partitions = EmbeddedKafka.DEFAULT_PARTITIONS;

    @Override
    public void init(Map<String, String> initArgs) {
        String topicList = initArgs.getOrDefault(TOPICS, "");
        topics = Arrays.stream(topicList.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toArray(String[]::new);
        if (initArgs.containsKey(PARTITIONS)) {
            partitions = Integer.parseInt(initArgs.get(PARTITIONS).strip());
        }
    }

    @Override
    public Map<String, String> start() {
        String bootstrapServers = bootstrapServers();
        if (topics.length > 0) {
            KafkaTopics.create(bootstrapServers, partitions, topics);
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // The broker is shared by every test class of the JVM; the shutdown hook stops it.
    }

    /** The shared broker's "127.0.0.1:PORT", starting it if needed. For tests' own producers and consumers. */
    public static String bootstrapServers() {
        if (!SystemClassLoaderCopy.isSystemCopy(KafkaTestResource.class)) {
            return (String) SystemClassLoaderCopy.call(KafkaTestResource.class, "bootstrapServers", new Class<?>[0]);
        }
        synchronized (KafkaTestResource.class) {
            if (broker == null) {
                EmbeddedKafka started = EmbeddedKafka.builder()
                        .dataDir(SystemClassLoaderCopy.devstackDir().resolve("kafka-" + UUID.randomUUID()))
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "devstack-kafka-stop"));
                broker = started;
            }
            return broker.bootstrapServers();
        }
    }

    /** Creates topics on the shared broker; existing ones are left as they are. */
    public static void createTopics(int partitions, String... names) {
        KafkaTopics.create(bootstrapServers(), partitions, names);
    }
}
