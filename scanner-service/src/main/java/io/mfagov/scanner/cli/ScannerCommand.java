package io.mfagov.scanner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The scanner jar's command line: without arguments it is the service (see {@link ScannerMain}); with arguments they
 * must name a verb, so a mistyped verb or flag is a usage error (exit 64), never a started service.
 */
@Command(name = "java -jar quarkus-run.jar", subcommands = ScanCommand.class,
        exitCodeOnInvalidInput = ScanCommand.USAGE,
        description = {"mfagov scanner. Without arguments: the service (Kafka consumer, REST API).",
                "With a verb: a one-shot run without Kafka or HTTP."},
        footer = {"Exit codes: 0 ok, 2 some tenant failed or was partial, 64 bad arguments."})
public class ScannerCommand implements Callable<Integer> {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a verb is required (scan)");
    }
}
