package io.mfagov.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the launcher as the local-run script will: in its own JVM. */
class DevStackTest {

    private static final Path DEVSTACK_DIR = Path.of(System.getProperty("devstack.dir", "target/devstack"))
            .toAbsolutePath();
    private static final int SIGTERM_EXIT = 128 + 15;

    @Test
    void launcherPrintsConnectionSettingsAndStopsCleanly() throws Exception {
        Path dataDir = DEVSTACK_DIR.resolve("launcher-" + UUID.randomUUID());
        Path stderr = DEVSTACK_DIR.resolve(dataDir.getFileName() + ".stderr");
        long started = System.nanoTime();
        Process launcher = launch(stderr, "--kafka-port", "0", "--postgres-port", "0",
                "--data-dir", dataDir.toString(), "--databases", "register,notifier");
        try {
            Map<String, String> settings = CompletableFuture.supplyAsync(() -> readUntilReady(launcher))
                    .get(120, TimeUnit.SECONDS);
            System.out.printf("Launcher: DEVSTACK READY %d ms after spawning its JVM; %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    Files.readAllLines(stderr).stream().filter(l -> l.contains("ready in")).findFirst().orElse(""));

            assertThat(settings).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "POSTGRES_HOST", "POSTGRES_PORT",
                    "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_JDBC_URL_REGISTER", "POSTGRES_JDBC_URL_NOTIFIER",
                    "DEVSTACK_DATA_DIR");
            assertThat(settings.get("KAFKA_BOOTSTRAP_SERVERS")).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(settings.get("POSTGRES_JDBC_URL_REGISTER"))
                    .isEqualTo("jdbc:postgresql://127.0.0.1:" + settings.get("POSTGRES_PORT") + "/register");
            assertThat(envFile(dataDir)).isEqualTo(settings);

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.get("KAFKA_BOOTSTRAP_SERVERS")))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            try (Connection connection = DriverManager.getConnection(settings.get("POSTGRES_JDBC_URL_NOTIFIER"),
                    settings.get("POSTGRES_USER"), settings.get("POSTGRES_PASSWORD"));
                    Statement sql = connection.createStatement();
                    ResultSet result = sql.executeQuery("SELECT current_database()")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo("notifier");
            }

            launcher.destroy(); // SIGTERM
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            assertThat(launcher.exitValue()).isEqualTo(SIGTERM_EXIT);
            assertThat(Files.readString(stderr)).contains("devstack: stopped");
            assertThat(dataDir).as("data removed without --keep-data").doesNotExist();
            Files.delete(stderr);
        } finally {
            launcher.destroyForcibly();
        }
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("--frobnicate"), "unknown argument: --frobnicate"),
                Arguments.of(List.of("--kafka-port", "nine"), "--kafka-port must be a port number"),
                Arguments.of(List.of("--postgres-port=70000"), "--postgres-port must be a port number"),
                Arguments.of(List.of("--databases", "register,Bad-Name"), "not a valid database name: 'Bad-Name'"),
                Arguments.of(List.of("--data-dir"), "--data-dir needs a value"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void launcherRejectsBadArgumentsWithExitCode64(List<String> arguments, String message) throws Exception {
        Path stderr = DEVSTACK_DIR.resolve("bad-arguments-" + UUID.randomUUID() + ".stderr");
        Process launcher = launch(stderr, arguments.toArray(String[]::new));
        try {
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).isEqualTo(64);
            assertThat(new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
            assertThat(Files.readString(stderr)).contains("devstack: " + message).contains("--help");
            Files.delete(stderr);
        } finally {
            launcher.destroyForcibly();
        }
    }

    @Test
    void launcherReportsAPortInUseWithExitCode1() throws Exception {
        Path dataDir = DEVSTACK_DIR.resolve("busy-port-" + UUID.randomUUID());
        Path stderr = DEVSTACK_DIR.resolve(dataDir.getFileName() + ".stderr");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Process launcher = launch(stderr, "--kafka-port", String.valueOf(taken.getLocalPort()),
                    "--postgres-port", "0", "--data-dir", dataDir.toString());
            try {
                assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(launcher.exitValue()).isEqualTo(1);
                assertThat(Files.readString(stderr))
                        .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                        .contains("--kafka-port");
                assertThat(dataDir).doesNotExist();
                Files.delete(stderr);
            } finally {
                launcher.destroyForcibly();
            }
        }
    }

    private static Process launch(Path stderr, String... arguments) throws IOException {
        Files.createDirectories(stderr.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"),
                DevStack.class.getName()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }

    private static Map<String, String> readUntilReady(Process launcher) {
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals("DEVSTACK READY")) {
                    return settings;
                }
                int equals = line.indexOf('=');
                if (equals > 0) {
                    settings.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("launcher ended before DEVSTACK READY; settings so far: " + settings.keySet());
    }

    private static Map<String, String> envFile(Path dataDir) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dataDir.resolve("devstack.env"))) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                settings.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return settings;
    }
}
