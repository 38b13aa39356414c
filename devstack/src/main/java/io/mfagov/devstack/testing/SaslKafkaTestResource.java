package io.mfagov.devstack.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.mfagov.devstack.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A second real broker for the test JVM that accepts only SASL/SCRAM ({@link EmbeddedKafka.Builder#saslScram()}):
 * no plaintext client listener. Started on first use, stopped by a JVM shutdown hook, separate from
 * {@link KafkaTestResource}'s plaintext broker.
 *
 * <p>Config returned by {@link #start()}: {@code kafka.bootstrap.servers}, {@code kafka.security.protocol},
 * {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config} — exactly the properties a production deployment sets
 * for a SCRAM broker — and {@code quarkus.kafka.devservices.enabled=false}.
 */
public class SaslKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Only ever set in the system class loader's copy of this class. */
    private static EmbeddedKafka broker;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>();
        clientProperties().forEach((key, value) -> config.put("kafka." + key, value));
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // Shared by every test class of the JVM that uses it; the shutdown hook stops it.
    }

    /**
     * Whether the SASL broker refuses a client that does not authenticate: a plaintext admin client gets no answer
     * to {@code describeCluster} within 10 s.
     */
    public static boolean refusesPlaintextClients() {
        Map<String, Object> plaintext = Map.of("bootstrap.servers", clientProperties().get("bootstrap.servers"),
                "request.timeout.ms", 3_000, "default.api.timeout.ms", 5_000);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(plaintext)) {
            admin.describeCluster().nodes().get(10, java.util.concurrent.TimeUnit.SECONDS);
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The SASL broker's client settings (bootstrap servers and SCRAM credentials), starting it if needed. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> clientProperties() {
        if (!SystemClassLoaderCopy.isSystemCopy(SaslKafkaTestResource.class)) {
            return (Map<String, String>) SystemClassLoaderCopy.call(SaslKafkaTestResource.class, "clientProperties",
                    new Class<?>[0]);
        }
        synchronized (SaslKafkaTestResource.class) {
            if (broker == null) {
                EmbeddedKafka started = EmbeddedKafka.builder()
                        .dataDir(SystemClassLoaderCopy.devstackDir().resolve("kafka-sasl-" + UUID.randomUUID()))
                        .saslScram()
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "devstack-sasl-kafka-stop"));
                broker = started;
            }
            return Map.copyOf(broker.clientProperties());
        }
    }
}
