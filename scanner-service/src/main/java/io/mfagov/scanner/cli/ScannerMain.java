package io.mfagov.scanner.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * One jar, two modes: without arguments the service (Kafka consumer, REST API); with arguments the command line
 * ({@code scan ...}: a one-shot scan writing CSV and JSON, no Kafka, no HTTP port; {@code --help}). Any argument
 * selects the command line and its profile {@code cli} (added to the current one), so a mistyped verb or flag is a
 * usage error (exit 64) and never starts the service.
 */
@QuarkusMain
public class ScannerMain implements QuarkusApplication {

    public static final String CLI_VERB = "scan";

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        if (args.length > 0) {
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
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return commandLine(factory).execute(args);
    }

    /**
     * The command line: the top command and its verbs, objects created by {@code factory}. A usage error prints the
     * message, picocli's suggestions ("Did you mean: ... scan?") and the usage of the command it concerns on stderr.
     */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        return new CommandLine(ScannerCommand.class, factory).setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            command.usage(err);
            err.flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
    }
}
