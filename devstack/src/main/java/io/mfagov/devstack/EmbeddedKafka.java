package io.mfagov.devstack;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Apache Kafka broker, in-process, in KRaft mode: one node that is both broker and controller,
 * listening on 127.0.0.1 only, every replication factor and min ISR at 1.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(0, Path.of("target/kafka"))) {
 *     kafka.createTopics(3, "events");
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>{@link Builder#saslScram()} starts it the way a secured production broker (Strimzi's {@code KafkaUser}, Event
 * Hubs) is reached: the client listener is {@code SASL_PLAINTEXT} with {@code SCRAM-SHA-512} only, no plaintext
 * client listener, and one SCRAM user with a random password created when the log directory is formatted. Clients
 * then need {@link #clientProperties()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Partitions of topics that are auto-created or created without a count. */
    public static final int DEFAULT_PARTITIONS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** The SASL mechanism of {@link Builder#saslScram()} mode, the only one its client listener accepts. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";

    private final KafkaRaftServer server;
    private final Admin admin;
    private final int port;
    private final Path dataDir;
    private final boolean deleteDataOnClose;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, String> security;

    private EmbeddedKafka(KafkaRaftServer server, Admin admin, int port, Path dataDir, boolean deleteDataOnClose,
            Duration startupTime, Map<String, String> security) {
        this.security = security;
        this.server = server;
        this.admin = admin;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteDataOnClose = deleteDataOnClose;
        this.startupTime = startupTime;
    }

    /**
     * Starts a broker and returns once it answers {@code describeCluster}.
     *
     * @param port    PLAINTEXT port on 127.0.0.1; 0 picks a free one
     * @param dataDir log directory, created if missing, deleted by {@link #close()}
     */
    public static EmbeddedKafka start(int port, Path dataDir) {
        return builder().port(port).dataDir(dataDir).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** "127.0.0.1:PORT". */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    /**
     * What a client needs to connect: {@code bootstrap.servers} and, in SASL/SCRAM mode, {@code security.protocol},
     * {@code sasl.mechanism} and {@code sasl.jaas.config} (with the generated password). Prefix each with
     * {@code kafka.} for a Quarkus service.
     */
    public Map<String, String> clientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bootstrap.servers", bootstrapServers());
        properties.putAll(security);
        return properties;
    }

    /** Whether clients must authenticate with SASL/SCRAM ({@link Builder#saslScram()}). */
    public boolean saslScram() {
        return !security.isEmpty();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Time from {@code start} to the broker answering its first request. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Creates the topics; ones that already exist are left as they are. */
    public void createTopics(int partitions, String... names) {
        KafkaTopics.create(admin, partitions, names);
    }

    /** Stops the broker and, unless told to keep it, deletes the data directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            OwnClassLoader.run(() -> {
                admin.close(Duration.ofSeconds(5));
                server.shutdown();
                server.awaitShutdown();
            });
        } finally {
            if (deleteDataOnClose) {
                DataDirs.deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
    }

    public static final class Builder {

        private int port;
        private Path dataDir;
        private int partitions = DEFAULT_PARTITIONS;
        private boolean deleteDataOnClose = true;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private String scramUser;
        private String scramPassword;

        private Builder() {
        }

        /**
         * SASL/SCRAM mode: the only client listener is {@code SASL_PLAINTEXT} accepting {@value #SCRAM_MECHANISM}
         * (plaintext clients are refused), with one user, {@code mfagov}, and a random password (see
         * {@link EmbeddedKafka#clientProperties()}). The broker talks to itself over the same listener as that user;
         * the controller listener stays internal. Not for a reused ({@code deleteDataOnClose(false)}) log directory
         * formatted without SCRAM.
         */
        public Builder saslScram() {
            this.scramUser = "mfagov";
            this.scramPassword = java.util.UUID.randomUUID().toString();
            return this;
        }

        /** PLAINTEXT port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Log directory; created if missing. An already formatted one is reused. Required. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** {@code num.partitions}: partitions of auto-created topics. Default {@value #DEFAULT_PARTITIONS}. */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Whether {@link #close()} deletes the data directory. Default true. */
        public Builder deleteDataOnClose(boolean deleteDataOnClose) {
            this.deleteDataOnClose = deleteDataOnClose;
            return this;
        }

        /** Any other broker setting; applied last, so it overrides the defaults. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public EmbeddedKafka start() {
            return OwnClassLoader.call(this::startBroker);
        }

        private EmbeddedKafka startBroker() {
            Objects.requireNonNull(dataDir, "dataDir");
            long started = System.nanoTime();
            ServerLogging.quiet(ServerLogging.KAFKA_SERVER_CATEGORIES);
            ServerLogging.dropKnownNoise(ServerLogging.KAFKA_KNOWN_NOISE);
            int brokerPort = Ports.resolve("Kafka", port);
            int controllerPort = Ports.freePort();
            while (controllerPort == brokerPort) {
                controllerPort = Ports.freePort();
            }
            Path dir = DataDirs.create(dataDir);
            KafkaRaftServer server = null;
            Admin admin = null;
            try {
                formatIfNeeded(dir);
                KafkaConfig config = new KafkaConfig(brokerConfig(dir, brokerPort, controllerPort), false);
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                admin = KafkaTopics.admin(Ports.LOOPBACK + ":" + brokerPort, clientSecurity());
                awaitBroker(admin);
            } catch (RuntimeException e) {
                abort(server, admin, dir);
                if (causedBy(e, BindException.class)) {
                    throw new PortInUseException("Kafka", brokerPort);
                }
                throw e;
            }
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            LOG.debug("Kafka broker ready on {}:{} in {} ms", Ports.LOOPBACK, brokerPort, startupTime.toMillis());
            return new EmbeddedKafka(server, admin, brokerPort, dir, deleteDataOnClose, startupTime, clientSecurity());
        }

        /** The client settings of SASL/SCRAM mode; empty in plaintext mode. */
        private Map<String, String> clientSecurity() {
            if (scramUser == null) {
                return Map.of();
            }
            Map<String, String> security = new LinkedHashMap<>();
            security.put("security.protocol", SASL_LISTENER);
            security.put("sasl.mechanism", SCRAM_MECHANISM);
            security.put("sasl.jaas.config", jaasConfig());
            return Map.copyOf(security);
        }

        private String jaasConfig() {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + scramUser
                    + "\" password=\"" + scramPassword + "\";";
        }

        private Map<String, String> brokerConfig(Path dir, int brokerPort, int controllerPort) {
            String clientListener = scramUser == null ? "PLAINTEXT" : SASL_LISTENER;
            String broker = clientListener + "://" + Ports.LOOPBACK + ":" + brokerPort;
            String controller = CONTROLLER_LISTENER + "://" + Ports.LOOPBACK + ":" + controllerPort;
            Map<String, String> config = new LinkedHashMap<>();
            config.put("node.id", String.valueOf(NODE_ID));
            config.put("process.roles", "broker,controller");
            config.put("controller.quorum.voters", NODE_ID + "@" + Ports.LOOPBACK + ":" + controllerPort);
            config.put("controller.listener.names", CONTROLLER_LISTENER);
            config.put("listeners", broker + "," + controller);
            config.put("advertised.listeners", broker);
            config.put("listener.security.protocol.map",
                    clientListener + ":" + clientListener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
            config.put("inter.broker.listener.name", clientListener);
            if (scramUser != null) {
                config.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
                config.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
                config.put("listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + "."
                        + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config", jaasConfig());
            }
            config.put("log.dirs", dir.toString());
            config.put("num.partitions", String.valueOf(partitions));
            config.put("auto.create.topics.enable", "true");
            config.put("default.replication.factor", "1");
            config.put("min.insync.replicas", "1");
            config.put("offsets.topic.replication.factor", "1");
            config.put("offsets.topic.num.partitions", "5");
            config.put("transaction.state.log.replication.factor", "1");
            config.put("transaction.state.log.min.isr", "1");
            config.put("transaction.state.log.num.partitions", "5");
            config.put("share.coordinator.state.topic.replication.factor", "1");
            config.put("share.coordinator.state.topic.min.isr", "1");
            config.put("share.coordinator.state.topic.num.partitions", "5");
            config.put("group.initial.rebalance.delay.ms", "0");
            // The log cleaner allocates its dedupe buffer on the heap up front: 128 MB by default.
            config.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
            config.putAll(brokerProperties);
            return config;
        }

        private void formatIfNeeded(Path dir) {
            if (Files.exists(dir.resolve("meta.properties"))) {
                return; // formatted by an earlier run that kept its data
            }
            try {
                Formatter formatter = new Formatter();
                if (scramUser != null) {
                    // The SCRAM user exists from the first metadata record: no plaintext window to create it in.
                    formatter.setScramArguments(List.of(
                            SCRAM_MECHANISM + "=[name=" + scramUser + ",password=" + scramPassword + "]"));
                }
                formatter
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setClusterId(Uuid.randomUuid().toString())
                        .setNodeId(NODE_ID)
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .setMetadataLogDirectory(dir.toString())
                        .setDirectories(List.of(dir.toString()))
                        .setHasDynamicQuorum(false)
                        .run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot format Kafka log directory " + dir, e);
            }
        }

        private static void awaitBroker(Admin admin) {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
                sleep(Duration.ofMillis(50));
            }
            throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT.toSeconds() + " s", last);
        }

        private void abort(KafkaRaftServer server, Admin admin, Path dir) {
            try {
                if (admin != null) {
                    admin.close(Duration.ZERO);
                }
                if (server != null) {
                    server.shutdown();
                    server.awaitShutdown();
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not stop a Kafka broker that failed to start", e);
            } finally {
                if (deleteDataOnClose) {
                    DataDirs.deleteRecursively(dir);
                }
            }
        }

        private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
            return false;
        }

        private static void sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
    }
}
