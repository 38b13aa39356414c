package io.mfagov.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Runs a real Kafka broker and a real PostgreSQL server for the local run, until SIGTERM or Ctrl-C.
 *
 * <p>Prints the connection settings as {@code KEY=value} lines on stdout, then {@code DEVSTACK READY},
 * and writes the same lines to {@code <data-dir>/devstack.env}. Logs go to stderr.
 * Exit codes: 64 bad arguments, 1 could not start (e.g. a port in use), 143 after SIGTERM.
 */
public final class DevStack {

    static final int EXIT_USAGE = 64;
    static final int EXIT_FAILED = 1;
    static final String READY = "DEVSTACK READY";
    static final String ENV_FILE = "devstack.env";

    private static final String USAGE = """
            Usage: java -jar devstack-runner.jar [options]
              (or: java -cp <classpath> io.mfagov.devstack.DevStack [options])

            Runs a real Kafka broker (KRaft) and a real PostgreSQL server on 127.0.0.1 until SIGTERM/Ctrl-C.

              --kafka-port N      Kafka port (default 9092; 0 = any free port)
              --postgres-port N   PostgreSQL port (default 5432; 0 = any free port)
              --data-dir DIR      data, logs and devstack.env (default ./run/devstack)
              --databases a,b     PostgreSQL databases to create ([a-z_][a-z0-9_]*)
              --keep-data         keep the data on exit and reuse it on the next start
              --help              show this help

            Prints KEY=value connection settings, then the line "DEVSTACK READY", on stdout.
            """;

    private DevStack() {
    }

    public static void main(String[] args) {
        configureLogging(); // first: any class with a logger would initialise java.util.logging
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("devstack: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }
        System.exit(run(options, System.out, System.err));
    }

    /** Starts everything, prints the settings and blocks until the JVM shuts down; returns only on failure. */
    static int run(Options options, PrintStream out, PrintStream err) {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        Path kafkaDir = dataDir.resolve("kafka");
        Path postgresDir = dataDir.resolve("postgres");
        try {
            // Fail fast, before anything starts, when a fixed port is taken.
            Ports.resolve("Kafka", options.kafkaPort());
            Ports.resolve("PostgreSQL", options.postgresPort());
        } catch (PortInUseException e) {
            err.println("devstack: " + e.getMessage() + " (choose another with --"
                    + ("Kafka".equals(e.server()) ? "kafka" : "postgres") + "-port)");
            return EXIT_FAILED;
        }
        if (!options.keepData()) {
            // Left over by a run that was killed: start clean. Only our own entries are touched.
            DataDirs.deleteRecursively(kafkaDir);
            DataDirs.deleteRecursively(postgresDir);
            DataDirs.deleteRecursively(dataDir.resolve("postgres.log"));
        }

        AtomicReference<EmbeddedKafka> kafka = new AtomicReference<>();
        AtomicReference<EmbeddedPostgres> postgres = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> stop(kafka.get(), postgres.get(), dataDir, options.keepData(), err), "devstack-stop"));
        try {
            CompletableFuture<EmbeddedPostgres> postgresStart = CompletableFuture.supplyAsync(() -> {
                EmbeddedPostgres started = EmbeddedPostgres.builder()
                        .port(options.postgresPort())
                        .dataDir(postgresDir)
                        .fastUnsafe(!options.keepData())
                        .deleteDataOnClose(!options.keepData())
                        .start();
                postgres.set(started);
                return started;
            });
            try {
                kafka.set(EmbeddedKafka.builder()
                        .port(options.kafkaPort())
                        .dataDir(kafkaDir)
                        .deleteDataOnClose(!options.keepData())
                        .start());
            } finally {
                postgresStart.exceptionally(e -> null).join(); // never leave it starting behind our back
            }
            postgresStart.join();
            options.databases().forEach(postgres.get()::createDatabase);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof PortInUseException) {
                err.println("devstack: " + cause.getMessage());
            } else {
                err.println("devstack: could not start: " + cause);
                cause.printStackTrace(err);
            }
            return EXIT_FAILED;
        }

        Map<String, String> settings = settings(kafka.get(), postgres.get(), options.databases(), dataDir);
        writeEnvFile(dataDir.resolve(ENV_FILE), settings);
        err.printf("devstack: Kafka ready in %d ms, PostgreSQL ready in %d ms (started in parallel)%n",
                kafka.get().startupTime().toMillis(), postgres.get().startupTime().toMillis());
        settings.forEach((key, value) -> out.println(key + "=" + value));
        out.println(READY);
        out.flush();

        try {
            new CountDownLatch(1).await(); // until SIGTERM / Ctrl-C runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static Map<String, String> settings(EmbeddedKafka kafka, EmbeddedPostgres postgres, List<String> databases,
            Path dataDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        settings.put("POSTGRES_HOST", Ports.LOOPBACK);
        settings.put("POSTGRES_PORT", String.valueOf(postgres.port()));
        settings.put("POSTGRES_USER", postgres.username());
        settings.put("POSTGRES_PASSWORD", postgres.password());
        for (String database : databases) {
            settings.put("POSTGRES_JDBC_URL_" + database.toUpperCase(Locale.ROOT), postgres.jdbcUrl(database));
        }
        settings.put("DEVSTACK_DATA_DIR", dataDir.toString());
        return settings;
    }

    private static void writeEnvFile(Path file, Map<String, String> settings) {
        StringBuilder content = new StringBuilder("# Written by io.mfagov.devstack.DevStack; removed when it stops.\n");
        settings.forEach((key, value) -> content.append(key).append('=').append(value).append('\n'));
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static void stop(EmbeddedKafka kafka, EmbeddedPostgres postgres, Path dataDir, boolean keepData,
            PrintStream err) {
        err.println("devstack: stopping");
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (RuntimeException e) {
            err.println("devstack: could not stop Kafka cleanly: " + e);
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (RuntimeException e) {
            err.println("devstack: could not stop PostgreSQL cleanly: " + e);
        }
        if (!keepData) {
            DataDirs.deleteRecursively(dataDir.resolve(ENV_FILE));
            if (Files.isDirectory(dataDir) && DataDirs.isEmpty(dataDir)) {
                DataDirs.deleteRecursively(dataDir);
            }
        }
        err.println("devstack: stopped");
    }

    /**
     * Logging backend of the launcher: JBoss LogManager (as in Quarkus), WARN and up, to stderr.
     * Must run before anything touches java.util.logging.
     */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.manager") == null
                && DevStack.class.getClassLoader().getResource("org/jboss/logmanager/LogManager.class") != null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s [%3$s] %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Handler stderr = new ConsoleHandler();
        stderr.setFormatter(new SimpleFormatter());
        stderr.setLevel(Level.ALL);
        root.addHandler(stderr);
        root.setLevel(Level.WARNING);
    }

    /** Command-line options. */
    record Options(int kafkaPort, int postgresPort, Path dataDir, List<String> databases, boolean keepData,
            boolean help) {

        static Options parse(String[] args) {
            int kafkaPort = 9092;
            int postgresPort = 5432;
            Path dataDir = Path.of("run", "devstack");
            List<String> databases = new ArrayList<>();
            boolean keepData = false;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                switch (name) {
                    case "--help", "-h" -> help = true;
                    case "--keep-data" -> keepData = true;
                    case "--kafka-port", "--postgres-port", "--data-dir", "--databases" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(name + " needs a value");
                            }
                            value = args[++i];
                        }
                        switch (name) {
                            case "--kafka-port" -> kafkaPort = port(name, value);
                            case "--postgres-port" -> postgresPort = port(name, value);
                            case "--data-dir" -> dataDir = dataDir(value);
                            default -> databases.addAll(databases(value));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            if (kafkaPort != 0 && kafkaPort == postgresPort) {
                throw new IllegalArgumentException("--kafka-port and --postgres-port must differ");
            }
            return new Options(kafkaPort, postgresPort, dataDir, databases.stream().distinct().toList(), keepData, help);
        }

        private static int port(String option, String value) {
            try {
                int port = Integer.parseInt(value.strip());
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a port number 0-65535, not '" + value + "'");
        }

        private static Path dataDir(String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException("--data-dir must not be empty");
            }
            return Path.of(value);
        }

        private static List<String> databases(String value) {
            List<String> names = new ArrayList<>();
            for (String name : value.split(",")) {
                String database = name.strip();
                if (database.isEmpty()) {
                    continue;
                }
                if (!EmbeddedPostgres.isValidDatabaseName(database)) {
                    throw new IllegalArgumentException("not a valid database name: '" + database
                            + "' (use lower-case letters, digits and _)");
                }
                names.add(database);
            }
            return names;
        }
    }
}
