package io.mfagov.scanner.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged scanner ({@code target/quarkus-app/quarkus-run.jar}) run as a child process, exactly as an operator
 * runs it: arguments that are not a valid command line exit 64 within seconds with the usage on stderr, and never
 * start the service (which would run until stopped, polling Kafka and listening on HTTP).
 *
 * <p>Tagged {@code process}: runs after packaging, in the {@code integration-test} phase of {@code verify}.
 */
@Tag("process")
class ScannerJarCommandLineTest {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    record Exit(int code, String out, String err) {
    }

    private static Exit runJar(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("process tests run after packaging").exists();
        Path logs = Files.createDirectories(Path.of("target", "process-logs"));
        Path out = Files.createTempFile(logs, "scanner-cli", ".out");
        Path err = Files.createTempFile(logs, "scanner-cli", ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            // Quarkus starts in 1-3 s here; a started service would never exit by itself.
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process exits by itself").isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aMistypedVerbExits64WithTheUsageAndNeverStartsTheService() throws Exception {
        Exit exit = runJar("scna", "--tenants", "11111111-1111-4111-8111-000000000001");

        assertThat(exit.code()).as(exit.err()).isEqualTo(64);
        assertThat(exit.err()).contains("Unmatched arguments from index 0: 'scna'").contains("Usage: java -jar quarkus-run.jar");
        assertThat(exit.out() + exit.err()).doesNotContain("Listening on").doesNotContain("Scanning");
    }

    @Test
    void aWrongFlagOfScanExits64WithTheScanUsage() throws Exception {
        Exit exit = runJar("scan", "--bogus");

        assertThat(exit.code()).as(exit.err()).isEqualTo(64);
        assertThat(exit.err()).contains("Unknown option: '--bogus'").contains("Usage: java -jar quarkus-run.jar scan");
        assertThat(exit.out() + exit.err()).doesNotContain("Listening on").doesNotContain("Scanning");
    }

    @Test
    void scanHelpPrintsTheUsageAndExitsZero() throws Exception {
        Exit exit = runJar("scan", "--help");

        assertThat(exit.code()).as(exit.err()).isZero();
        assertThat(exit.out()).contains("Usage: java -jar quarkus-run.jar scan").contains("--tenants-file");
        assertThat(exit.err()).isEmpty();
    }
}
