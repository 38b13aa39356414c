package io.mfagov.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's embedded binaries, PostgreSQL 17, linux-amd64) listening on 127.0.0.1 only.
 *
 * <p>The superuser {@code postgres} gets a random password at first start, and TCP connections must present
 * it (scram-sha-256). Unix sockets are off, so nothing is written outside the data directory and its
 * {@code .log} sibling. The binaries themselves are unpacked once under {@code java.io.tmpdir/embedded-pg}.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.start(0, Path.of("target/pg"), true)) {
 *     pg.createDatabase("register");
 *     DriverManager.getConnection(pg.jdbcUrl("register"), pg.username(), pg.password());
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String USERNAME = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Written into the data directory so a kept directory can be started again. */
    private static final String PASSWORD_FILE = "devstack-password";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final int port;
    private final Path dataDir;
    private final String password;
    private final boolean deleteDataOnClose;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, int port, Path dataDir,
            String password, boolean deleteDataOnClose, Duration startupTime) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.password = password;
        this.deleteDataOnClose = deleteDataOnClose;
        this.startupTime = startupTime;
    }

    /**
     * Starts a server and returns once it accepts connections.
     *
     * @param port       TCP port on 127.0.0.1; 0 picks a free one
     * @param dataDir    cluster directory; created (initdb) if missing or empty, deleted by {@link #close()}
     * @param fastUnsafe fsync, synchronous_commit and full_page_writes off: faster, loses data on a crash.
     *                   For tests only.
     */
    public static EmbeddedPostgres start(int port, Path dataDir, boolean fastUnsafe) {
        return builder().port(port).dataDir(dataDir).fastUnsafe(fastUnsafe).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.LOOPBACK + ":" + port + "/" + database;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Time from {@code start} to the server accepting connections. */
    public Duration startupTime() {
        return startupTime;
    }

    /** A new connection as the superuser. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USERNAME, password);
    }

    /**
     * Creates the database unless it exists. Names are lower-case SQL identifiers:
     * {@code [a-z_][a-z0-9_]*}, at most 63 characters.
     */
    public void createDatabase(String name) {
        requireValidDatabaseName(name);
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw new IllegalStateException("Cannot create database " + name, e);
            }
        }
    }

    /** Drops the database if it exists, disconnecting its sessions first. */
    public void dropDatabase(String name) {
        requireValidDatabaseName(name);
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop database " + name, e);
        }
    }

    public static boolean isValidDatabaseName(String name) {
        return name != null && DATABASE_NAME.matcher(name).matches();
    }

    private static void requireValidDatabaseName(String name) {
        if (!isValidDatabaseName(name)) {
            throw new IllegalArgumentException("Not a valid database name (use [a-z_][a-z0-9_]*): " + name);
        }
    }

    /** Stops the server and, unless told to keep it, deletes the data directory and its log. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            OwnClassLoader.run(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            LOG.warn("Could not stop PostgreSQL in {}", dataDir, e);
        } finally {
            if (deleteDataOnClose) {
                DataDirs.deleteRecursively(dataDir);
                DataDirs.deleteRecursively(logFile(dataDir));
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + Ports.LOOPBACK + ":" + port + ", " + dataDir + "]";
    }

    private static Path logFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public static final class Builder {

        private int port;
        private Path dataDir;
        private boolean fastUnsafe;
        private boolean deleteDataOnClose = true;

        private Builder() {
        }

        /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Cluster directory. A missing or empty one is initialised; one kept from an earlier start is reused. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** fsync, synchronous_commit and full_page_writes off. For tests only. Default false. */
        public Builder fastUnsafe(boolean fastUnsafe) {
            this.fastUnsafe = fastUnsafe;
            return this;
        }

        /** Whether {@link #close()} deletes the data directory. Default true. */
        public Builder deleteDataOnClose(boolean deleteDataOnClose) {
            this.deleteDataOnClose = deleteDataOnClose;
            return this;
        }

        public EmbeddedPostgres start() {
            return OwnClassLoader.call(this::startServer);
        }

        private EmbeddedPostgres startServer() {
            Objects.requireNonNull(dataDir, "dataDir");
            long started = System.nanoTime();
            ServerLogging.quiet(ServerLogging.POSTGRES_CATEGORIES);
            int resolvedPort = Ports.resolve("PostgreSQL", port);
            Path dir = DataDirs.create(dataDir);
            Path log = logFile(dir);
            boolean existing = Files.exists(dir.resolve("postgresql.conf"));
            if (!existing && !DataDirs.isEmpty(dir)) {
                throw new IllegalStateException("PostgreSQL data directory is neither empty nor a cluster: " + dir);
            }
            String password = existing ? readPassword(dir) : newPassword();
            Path passwordFile = dir.resolveSibling(dir.getFileName() + ".pwfile");
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
            try {
                if (!existing) {
                    writeSecret(passwordFile, password);
                }
                server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setPort(resolvedPort)
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setPGStartupWait(STARTUP_WAIT)
                        // zonky passes these to initdb as --key=value, after its own "-A trust"
                        .setLocaleConfig("auth-host", "scram-sha-256")
                        .setLocaleConfig("auth-local", "scram-sha-256")
                        .setLocaleConfig("pwfile", passwordFile.toString())
                        .setConnectConfig("password", password)
                        .setServerConfig("listen_addresses", Ports.LOOPBACK)
                        .setServerConfig("unix_socket_directories", "''")
                        .setServerConfig("fsync", fastUnsafe ? "off" : "on")
                        .setServerConfig("synchronous_commit", fastUnsafe ? "off" : "on")
                        .setServerConfig("full_page_writes", fastUnsafe ? "off" : "on")
                        .setOutputRedirector(Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(Redirect.appendTo(log.toFile()))
                        .start();
                if (!existing) {
                    writeSecret(dir.resolve(PASSWORD_FILE), password);
                }
            } catch (IOException | RuntimeException e) {
                String serverLog = tail(log);
                if (deleteDataOnClose && !existing) {
                    DataDirs.deleteRecursively(dir);
                }
                if (serverLog.contains("Address already in use")) {
                    throw new PortInUseException("PostgreSQL", resolvedPort);
                }
                throw new IllegalStateException(
                        "PostgreSQL failed to start in " + dir + "; last lines of " + log + ":\n" + serverLog, e);
            } finally {
                DataDirs.deleteRecursively(passwordFile);
            }
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            LOG.debug("PostgreSQL ready on {}:{} in {} ms", Ports.LOOPBACK, resolvedPort, startupTime.toMillis());
            return new EmbeddedPostgres(server, resolvedPort, dir, password, deleteDataOnClose, startupTime);
        }

        private static String newPassword() {
            String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            SecureRandom random = new SecureRandom();
            StringBuilder password = new StringBuilder(24);
            for (int i = 0; i < 24; i++) {
                password.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return password.toString();
        }

        private static String readPassword(Path dir) {
            Path file = dir.resolve(PASSWORD_FILE);
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("Existing PostgreSQL cluster in " + dir
                        + " was not created by devstack (no " + PASSWORD_FILE + "); delete the directory", e);
            }
        }

        private static void writeSecret(Path file, String secret) {
            try {
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file, e);
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
