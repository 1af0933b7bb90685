package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Service;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service rollback SERVICE}: returns the service to its previous spec (the daemon
 * swaps spec and previous spec, so a second rollback undoes the first) and, unless
 * {@code --detach}, shows the rollback as Docker does: {@code rollback: manually requested
 * rollback}, {@code overall progress: rolling back update: 3 out of 3 tasks}, the slots, and
 * {@code verify: Service converged}. Also what {@code service update --rollback} runs.
 */
@Command(name = "rollback", description = "Revert changes to a service's configuration")
final class ServiceRollbackCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Option(names = {"-d", "--detach"}, description = "Exit immediately instead of waiting for the service to converge")
    private boolean detach;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output")
    private boolean quiet;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "Service name, id or id prefix")
    private String service;

    @Override
    public Integer call() {
        return rollback(daemon, service, detach, quiet);
    }

    /** Rolls {@code ref} back and, unless {@code detach}, follows the rollback to its end. */
    static int rollback(DaemonConnection daemon, String ref, boolean detach, boolean quiet) {
        try (ShoalClient client = daemon.connect()) {
            // no version: the daemon rolls back whatever the spec is now, as Docker's does
            Service rolledBack = await(client.serviceRollback(ref, null));
            daemon.output().println(ref);
            if (!detach) {
                Convergence.await(client, rolledBack, ref, daemon.context(), quiet, Convergence.Operation.ROLLBACK);
            }
        }
        return 0;
    }
}
