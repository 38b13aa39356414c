package io.mfagov.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.mfagov.devstack.testing.PostgresTestResource;

class EmbeddedPostgresTest {

    private static final Path DEVSTACK_DIR = Path.of(System.getProperty("devstack.dir", "target/devstack"));

    @Test
    void postgresAcceptsConnectionsAndCreatesIsolatedDatabases() throws Exception {
        Path dataDir = DEVSTACK_DIR.resolve("postgres-test-" + UUID.randomUUID());
        EmbeddedPostgres postgres = EmbeddedPostgres.start(0, dataDir, true);
        try (postgres) {
            System.out.printf("PostgreSQL: ready in %d ms (initdb + start)%n", postgres.startupTime().toMillis());
            assertThat(postgres.username()).isEqualTo("postgres");
            assertThat(postgres.password()).hasSizeGreaterThanOrEqualTo(20);
            assertThat(postgres.jdbcUrl("register"))
                    .isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/register");

            postgres.createDatabase("register");
            postgres.createDatabase("notifier");
            postgres.createDatabase("register"); // idempotent

            try (Connection register = postgres.connect("register"); Statement sql = register.createStatement()) {
                sql.execute("CREATE TABLE exception_request (id int PRIMARY KEY, upn text)");
                sql.execute("INSERT INTO exception_request VALUES (1, 'alice@example.test')");
                assertThat(single(sql, "SELECT upn FROM exception_request")).isEqualTo("alice@example.test");
                assertThat(single(sql, "SHOW fsync")).isEqualTo("off");
            }
            try (Connection notifier = DriverManager.getConnection(postgres.jdbcUrl("notifier"), postgres.username(),
                    postgres.password()); Statement sql = notifier.createStatement()) {
                assertThat(single(sql, "SELECT count(*) FROM pg_tables WHERE tablename = 'exception_request'"))
                        .as("table of another database").isEqualTo("0");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("register"), "postgres", "wrong"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> postgres.createDatabase("Robert'); DROP TABLE students;--"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(dataDir).doesNotExist();
        assertThat(Files.exists(dataDir.resolveSibling(dataDir.getFileName() + ".log"))).isFalse();
    }

    @Test
    void postgresTestResourceGivesEveryStartAFreshDatabase() throws Exception {
        PostgresTestResource first = new PostgresTestResource();
        PostgresTestResource second = new PostgresTestResource();
        Map<String, String> firstConfig = first.start();
        String firstDatabase = PostgresTestResource.currentDatabase();
        Map<String, String> secondConfig = second.start();
        try {
            assertThat(firstConfig)
                    .containsEntry("quarkus.datasource.db-kind", "postgresql")
                    .containsEntry("quarkus.datasource.username", "postgres")
                    .containsEntry("quarkus.datasource.password", PostgresTestResource.password())
                    .containsEntry("quarkus.datasource.devservices.enabled", "false")
                    .containsEntry("quarkus.datasource.jdbc.url", PostgresTestResource.jdbcUrl(firstDatabase));
            assertThat(secondConfig.get("quarkus.datasource.jdbc.url"))
                    .isNotEqualTo(firstConfig.get("quarkus.datasource.jdbc.url"))
                    .isEqualTo(PostgresTestResource.jdbcUrl());

            try (Connection connection = DriverManager.getConnection(firstConfig.get("quarkus.datasource.jdbc.url"),
                    PostgresTestResource.username(), PostgresTestResource.password());
                    Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE marker (id int)");
            }
            try (Connection connection = DriverManager.getConnection(PostgresTestResource.jdbcUrl(),
                    PostgresTestResource.username(), PostgresTestResource.password());
                    Statement sql = connection.createStatement()) {
                assertThat(single(sql, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")).isEqualTo("0");
            }
        } finally {
            first.stop();
            second.stop();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(firstConfig.get("quarkus.datasource.jdbc.url"),
                PostgresTestResource.username(), PostgresTestResource.password()))
                .as("stop() drops the database").hasMessageContaining("does not exist");
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }
}
