package dev.shoal.cli.command;

import dev.shoal.api.error.ApiException;
import dev.shoal.cli.console.Output;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How failures are printed and which exit code they give, as Docker's CLI does:
 * <ul>
 *   <li>a bad command line: picocli's message naming the flag (or Docker's
 *       {@code invalid argument "5x" for "--restart-delay" flag: ...} for a bad value), then
 *       {@code See 'shoal service create --help'.}; exit 2</li>
 *   <li>an error from the daemon: {@code Error response from daemon: <message>}; exit 1</li>
 *   <li>a client-side failure ({@link CliException}): its message; exit 1</li>
 * </ul>
 */
public final class ErrorHandlers {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private ErrorHandlers() {}

    public static CommandLine install(CommandLine cli, Output output) {
        return cli.setParameterExceptionHandler(parameterHandler(output))
                .setExecutionExceptionHandler(executionHandler(output));
    }

    static IParameterExceptionHandler parameterHandler(Output output) {
        return (ParameterException e, String[] args) -> {
            output.error(usageMessage(e));
            output.error("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_USAGE;
        };
    }

    /** The message for a command-line error; a bad flag value reads as Docker's. */
    static String usageMessage(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !e.getCommandLine().getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            // as Docker: "docker: 'servce' is not a docker command."
            String message = "'" + unmatched.getUnmatched().getFirst() + "' is not a "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " command.";
            List<String> suggestions = unmatched.getSuggestions();
            return suggestions.isEmpty() ? message : message + "\nDid you mean: " + String.join(", ", suggestions) + "?";
        }
        ArgSpec arg = e.getArgSpec();
        if (e.getCause() instanceof TypeConversionException conversion && arg != null && e.getValue() != null) {
            return "invalid argument \"" + e.getValue() + "\" for " + argName(arg) + ": " + conversion.getMessage();
        }
        return e.getMessage();
    }

    /** {@code "-e, --env" flag} for an option, {@code "SERVICE=REPLICAS" argument} for a positional. */
    static String argName(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            String names = String.join(", ", Arrays.stream(option.names())
                    .sorted(Comparator.comparingInt(String::length)).toList());
            return "\"" + names + "\" flag";
        }
        return "\"" + arg.paramLabel() + "\" argument";
    }

    static IExecutionExceptionHandler executionHandler(Output output) {
        return (Exception e, CommandLine cli, ParseResult parsed) -> {
            switch (e) {
                case ApiException api -> output.error("Error response from daemon: " + api.getMessage());
                case CliException cli1 -> output.error(cli1.getMessage());
                default -> {
                    output.error("Error: " + e);
                    e.printStackTrace(output.err());
                    output.err().flush();
                }
            }
            return EXIT_FAILURE;
        };
    }
}
