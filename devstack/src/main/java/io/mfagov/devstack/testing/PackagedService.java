package io.mfagov.devstack.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The module's packaged application ({@code target/quarkus-app/quarkus-run.jar}) run as a child process, for tests
 * where a real process must crash and another take over: the test profile's settings, a free port on 127.0.0.1, the
 * test broker, one test database and the test token issuer. Its output goes to {@code target/process-logs/<name>.log}.
 */
public final class PackagedService implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "process-logs");

    private final Process process;
    private final int port;

    private PackagedService(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts this module's jar against the test broker and one test database, and waits until
     * {@code /q/health/ready} answers 200.
     *
     * @param properties extra system properties ({@code -Dkey=value})
     * @param env        extra environment variables (secrets go here, never on the command line)
     */
    public static PackagedService start(String name, String database, Map<String, String> properties,
            Map<String, String> env) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers());
        all.putAll(properties);
        return start(JAR, name, database, all, env);
    }

    /**
     * Starts a packaged jar (another module's, e.g. {@code ../register-service/target/quarkus-app/quarkus-run.jar})
     * against one test database; its Kafka settings are the caller's ({@code kafka.*} in {@code properties}, secrets
     * such as {@code KAFKA_SASL_JAAS_CONFIG} in {@code env}). Waits until {@code /q/health/ready} answers 200.
     */
    public static PackagedService start(Path jar, String name, String database, Map<String, String> properties,
            Map<String, String> env) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: process tests run after packaging");
        }
        Files.createDirectories(LOGS);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                // the packaged (prod) build with the test profile's runtime settings
                "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.jdbc.url=" + PostgresTestResource.jdbcUrl(database),
                "-Dquarkus.datasource.username=" + PostgresTestResource.username()));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(name + ".log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("QUARKUS_DATASOURCE_PASSWORD", PostgresTestResource.password());
        // trust the test's token issuer: public key, issuer and audience, as environment variables
        new TestTokens().start().forEach((key, value) ->
                environment.put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        environment.putAll(env);
        PackagedService service = new PackagedService(builder.start(), port);
        service.awaitReady(Duration.ofSeconds(90));
        return service;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. Waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed process did not end");
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the process ended with " + process.exitValue() + "; see " + LOGS);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
                Thread.sleep(250);
            } catch (IOException e) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + url(), e);
            }
        }
        close();
        throw new IllegalStateException("not ready within " + timeout + ": " + url() + "; see " + LOGS);
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
