package dev.shoal.cli.command;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]}: sets each service's replica
 * count (read, change, write with a retry on CONFLICT), then waits for each to converge unless
 * {@code --detach}. A failure on one service does not stop the others; the exit code is 1 if any
 * failed.
 */
@Command(name = "scale", description = "Scale one or multiple replicated services",
        customSynopsis = "shoal service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]")
final class ServiceScaleCommand implements Callable<Integer> {
    /** One {@code SERVICE=REPLICAS} argument. */
    record Scale(String service, long replicas) {}

    @Mixin
    private DaemonConnection daemon;

    @Option(names = {"-d", "--detach"}, description = "Exit immediately instead of waiting for the service to converge")
    private boolean detach;

    @Spec
    private CommandSpec spec;

    // parsed in call(): picocli reports a failed conversion inside a positional list as an
    // "unmatched argument", which would not name the problem
    @Parameters(arity = "1..*", paramLabel = "SERVICE=REPLICAS", description = "Service name or id and its new number of tasks")
    private List<String> args;

    @Override
    public Integer call() {
        List<Scale> scales = new ArrayList<>();
        for (String arg : args) {
            try {
                scales.add(parse(arg));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(),
                        "invalid argument \"" + arg + "\" for \"SERVICE=REPLICAS\" argument: " + e.getMessage());
            }
        }
        int exit = 0;
        Map<String, Service> scaled = new LinkedHashMap<>();
        try (ShoalClient client = daemon.connect()) {
            for (Scale s : scales) {
                try {
                    Service updated = ServiceUpdateCommand.updateWithRetry(client, s.service(), spec -> scaled(spec, s.replicas()));
                    daemon.output().println(s.service() + " scaled to " + s.replicas());
                    scaled.put(s.service(), updated);
                } catch (ApiException e) {
                    daemon.output().error("Error response from daemon: " + e.getMessage());
                    exit = ErrorHandlers.EXIT_FAILURE;
                } catch (CliException e) {
                    daemon.output().error(s.service() + ": " + e.getMessage());
                    exit = ErrorHandlers.EXIT_FAILURE;
                }
            }
            if (!detach) {
                List<String> failures = new ArrayList<>();
                for (Map.Entry<String, Service> e : scaled.entrySet()) {
                    try {
                        Convergence.await(client, e.getValue().id().value(), e.getKey(), daemon.context(), false);
                    } catch (CliException | ApiException ex) {
                        failures.add(ex.getMessage());
                    }
                }
                if (!failures.isEmpty()) {
                    failures.forEach(daemon.output()::error);
                    exit = ErrorHandlers.EXIT_FAILURE;
                }
            }
        }
        return exit;
    }

    /**
     * {@code spec} scaled to {@code replicas}, as Docker's: the replica count of a replicated
     * service, the TotalCompletions of a replicated job.
     *
     * @throws CliException for the global modes, which have no count to scale; nothing is written
     */
    static ServiceSpec scaled(ServiceSpec spec, long replicas) {
        return switch (spec.modeKind()) {
            case REPLICATED -> spec.withMode(ServiceMode.replicated(replicas));
            case REPLICATED_JOB -> spec.withMode(ServiceMode.ofReplicatedJob(spec.mode().replicatedJob().maxConcurrent(), replicas));
            case GLOBAL, GLOBAL_JOB -> throw new CliException("scale can only be used with replicated or replicated-job mode (service "
                    + spec.name() + " is " + spec.modeKind().cliName() + ")");
        };
    }

    /** Parses {@code web=3}. */
    static Scale parse(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected SERVICE=REPLICAS, e.g. web=3");
        }
        String replicas = value.substring(eq + 1);
        try {
            return new Scale(value.substring(0, eq), Long.parseLong(replicas));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid replicas value \"" + replicas + "\": not an integer");
        }
    }
}
