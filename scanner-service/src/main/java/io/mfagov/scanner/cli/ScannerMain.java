package io.mfagov.scanner.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

import java.util.Arrays;

/**
 * One jar, two modes: without arguments the service (Kafka consumer, REST API); with {@code scan ...} a one-shot
 * scan writing CSV and JSON, no Kafka, no HTTP port (profile {@code cli} added to the current one).
 */
@QuarkusMain
public class ScannerMain implements QuarkusApplication {

    public static final String CLI_VERB = "scan";

    @Inject
    ScanCommand command;

    public static void main(String... args) {
        if (args.length > 0 && CLI_VERB.equals(args[0])) {
            String current = System.getProperty("quarkus.profile");
            if (current == null || current.isBlank()) {
                current = System.getenv().getOrDefault("QUARKUS_PROFILE", "prod");
            }
            System.setProperty("quarkus.profile", current + ",cli");
        }
        Quarkus.run(ScannerMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length > 0 && CLI_VERB.equals(args[0])) {
            return command.run(Arrays.copyOfRange(args, 1, args.length));
        }
        Quarkus.waitForExit();
        return 0;
    }
}
