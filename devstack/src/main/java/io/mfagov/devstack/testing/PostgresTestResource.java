package io.mfagov.devstack.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.mfagov.devstack.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * One real PostgreSQL server for the whole test JVM (fsync off), started on first use and stopped by a JVM
 * shutdown hook; data in {@code ${devstack.dir:-target/devstack}/postgres-<random>}, deleted at exit.
 * Every {@link #start()} creates a fresh database {@code test_<n>}, so test classes that restart Quarkus
 * do not see each other's rows; {@link #stop()} drops it.
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(PostgresTestResource.class)
 * class ExceptionRegisterTest { ... }
 * }</pre>
 *
 * <p>Config returned by {@link #start()}: {@code quarkus.datasource.db-kind=postgresql},
 * {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username},
 * {@code quarkus.datasource.password}, {@code quarkus.datasource.devservices.enabled=false}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Only ever set in the system class loader's copy of this class. */
    private static EmbeddedPostgres server;
    private static int databases;
    private static volatile String currentDatabase;

    private String database;

    @Override
    public Map<String, String> start() {
        database = createFreshDatabase();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.db-kind", "postgresql");
        config.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
        config.put("quarkus.datasource.username", username());
        config.put("quarkus.datasource.password", password());
        config.put("quarkus.datasource.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            try {
                dropDatabase(database);
            } catch (IllegalStateException e) {
                // the server is already stopping (JVM exit): the database goes with it
            }
            database = null;
        }
    }

    /** Creates a new, empty database {@code test_<n>} on the shared server, makes it current and returns its name. */
    public static String createFreshDatabase() {
        if (!SystemClassLoaderCopy.isSystemCopy(PostgresTestResource.class)) {
            return (String) SystemClassLoaderCopy.call(PostgresTestResource.class, "createFreshDatabase", new Class<?>[0]);
        }
        String name;
        synchronized (PostgresTestResource.class) {
            name = "test_" + ++databases;
        }
        shared().createDatabase(name);
        currentDatabase = name;
        return name;
    }

    /** Drops a database of the shared server, closing its sessions first. */
    public static void dropDatabase(String name) {
        if (!SystemClassLoaderCopy.isSystemCopy(PostgresTestResource.class)) {
            SystemClassLoaderCopy.call(PostgresTestResource.class, "dropDatabase", new Class<?>[] {String.class}, name);
            return;
        }
        shared().dropDatabase(name);
    }

    /** JDBC URL of the database most recently created by {@link #start()} or {@link #createFreshDatabase()}. */
    public static String jdbcUrl() {
        String name = currentDatabase();
        if (name == null) {
            name = createFreshDatabase();
        }
        return jdbcUrl(name);
    }

    /** JDBC URL of any database of the shared server. */
    public static String jdbcUrl(String database) {
        if (!SystemClassLoaderCopy.isSystemCopy(PostgresTestResource.class)) {
            return (String) SystemClassLoaderCopy.call(PostgresTestResource.class, "jdbcUrl",
                    new Class<?>[] {String.class}, database);
        }
        return shared().jdbcUrl(database);
    }

    public static String username() {
        return EmbeddedPostgres.USERNAME;
    }

    /** The shared server's (random) superuser password. */
    public static String password() {
        if (!SystemClassLoaderCopy.isSystemCopy(PostgresTestResource.class)) {
            return (String) SystemClassLoaderCopy.call(PostgresTestResource.class, "password", new Class<?>[0]);
        }
        return shared().password();
    }

    /** Name of the current database, or null before the first one. */
    public static String currentDatabase() {
        if (!SystemClassLoaderCopy.isSystemCopy(PostgresTestResource.class)) {
            return (String) SystemClassLoaderCopy.call(PostgresTestResource.class, "currentDatabase", new Class<?>[0]);
        }
        return currentDatabase;
    }

    private static synchronized EmbeddedPostgres shared() {
        if (server == null) {
            EmbeddedPostgres started = EmbeddedPostgres.builder()
                    .dataDir(SystemClassLoaderCopy.devstackDir().resolve("postgres-" + UUID.randomUUID()))
                    .fastUnsafe(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "devstack-postgres-stop"));
            server = started;
        }
        return server;
    }
}
