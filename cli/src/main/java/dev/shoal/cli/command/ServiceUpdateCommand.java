package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.cli.format.ShellWords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal service update [OPTIONS] SERVICE}: reads the service's spec and version, applies the
 * flags, and sends the whole spec back quoting that version. When another writer got there first
 * (CONFLICT) it reads again and retries once. Unless {@code --detach} it then follows the rollout
 * (see {@link Convergence}). The mode never changes: {@code --mode} is refused, and so are
 * {@code --replicas} on a global service and {@code --max-concurrent} on anything but a
 * replicated job, before anything is written. {@code --rollback} is {@code service rollback}.
 */
@Command(name = "update", description = "Update a service")
final class ServiceUpdateCommand implements Callable<Integer> {
    /** The flags {@code --rollback} may come with (Docker's rule). */
    private static final Set<String> ROLLBACK_COMPATIBLE = Set.of("--rollback", "--detach", "--quiet");

    @Mixin
    private DaemonConnection daemon;

    @Spec
    private CommandSpec spec;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Service image tag")
    private String image;

    @Option(names = "--replicas", paramLabel = "N",
            description = "Number of tasks; for a replicated job, the number of completions")
    private Long replicas;

    // not a Docker flag on update: given so that the attempt gets a clear answer rather than "unknown option"
    @Option(names = "--mode", paramLabel = "MODE", hidden = true)
    private ServiceMode.Kind mode;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "Number of job tasks to run concurrently")
    private Long maxConcurrent;

    @Mixin
    private PlacementUpdateOptions placement;

    @Mixin
    private ResourceOptions resources;

    @Mixin
    private HealthcheckOptions healthcheck;

    @Mixin
    private UpdatePolicyOptions updatePolicy;

    @Mixin
    private RollbackPolicyOptions rollbackPolicy;

    @Option(names = "--env-add", paramLabel = "KEY=VALUE", converter = Converters.EnvConverter.class,
            description = "Add or update an environment variable")
    private List<String> envAdd = new ArrayList<>();

    @Option(names = "--env-rm", paramLabel = "KEY", description = "Remove an environment variable")
    private List<String> envRm = new ArrayList<>();

    @Option(names = "--label-add", paramLabel = "KEY=VALUE", converter = Converters.LabelConverter.class,
            description = "Add or update a service label")
    private List<String> labelAdd = new ArrayList<>();

    @Option(names = "--label-rm", paramLabel = "KEY", description = "Remove a label by its key")
    private List<String> labelRm = new ArrayList<>();

    @Option(names = "--args", paramLabel = "COMMAND", description = "Service command args")
    private String args;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Overwrite the default ENTRYPOINT of the image")
    private String entrypoint;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container")
    private String workdir;

    @Option(names = "--stop-grace-period", paramLabel = "DURATION",
            description = "Time to wait before force killing a container (ns|us|ms|s|m|h)")
    private Duration stopGracePeriod;

    @Mixin
    private RestartOptions restart;

    @Option(names = "--force", description = "Force update even if no changes require it")
    private boolean force;

    @Option(names = "--rebalance", description = "Spread the tasks again over the nodes that fit, moving as few as needed (Shoal)")
    private boolean rebalance;

    @Option(names = "--rollback", description = "Rollback to previous specification")
    private boolean rollback;

    @Option(names = {"-d", "--detach"}, description = "Exit immediately instead of waiting for the service to converge")
    private boolean detach;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output")
    private boolean quiet;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "Service name, id or id prefix")
    private String service;

    @Override
    public Integer call() {
        if (rollback) {
            List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
                    .map(OptionSpec::longestName)
                    .filter(n -> !ROLLBACK_COMPATIBLE.contains(n))
                    .toList();
            if (!others.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "other flags may not be combined with --rollback (" + String.join(", ", others) + ")");
            }
            return ServiceRollbackCommand.rollback(daemon, service, detach, quiet);
        }
        // checked before connecting, so that a bad flag sends nothing
        words("--args", args);
        words("--entrypoint", entrypoint);
        healthcheck.applyTo(null, spec.commandLine());
        try (ShoalClient client = daemon.connect()) {
            Service updated = updateWithRetry(client, this::applyTo);
            daemon.output().println(service);
            if (!detach) {
                Convergence.await(client, updated, service, daemon.context(), quiet, Convergence.Operation.UPDATE);
            }
        }
        return 0;
    }

    /** Reads, changes, writes; on CONFLICT reads again and retries once. */
    static Service updateWithRetry(ShoalClient client, String ref, UnaryOperator<ServiceSpec> change) {
        for (int attempt = 1; ; attempt++) {
            Service current = await(client.serviceInspect(ref));
            try {
                return await(client.serviceUpdate(current.id().value(), current.version(), change.apply(current.spec())));
            } catch (ApiException e) {
                if (e.code() != ErrorCode.CONFLICT || attempt == 2) {
                    throw e;
                }
            }
        }
    }

    private Service updateWithRetry(ShoalClient client, UnaryOperator<ServiceSpec> change) {
        return updateWithRetry(client, service, change);
    }

    /** The spec {@code current} becomes with the flags applied (see {@link #apply}). */
    ServiceSpec applyTo(ServiceSpec current) {
        return apply(current, words("--args", args), words("--entrypoint", entrypoint));
    }

    /**
     * The spec {@code current} becomes with the flags applied. Everything no flag names is kept.
     *
     * @throws ParameterException for a flag the service's mode has no use for; nothing is written
     */
    private ServiceSpec apply(ServiceSpec current, List<String> newArgs, List<String> newEntrypoint) {
        TaskSpec task = current.taskTemplate() == null ? new TaskSpec(null, null, null) : current.taskTemplate();
        ContainerSpec c = task.containerSpec() == null
                ? new ContainerSpec(null, null, null, null, null, null, null) : task.containerSpec();
        ContainerSpec container = new ContainerSpec(
                image != null ? image : c.image(),
                entrypoint != null ? newEntrypoint : c.command(),
                args != null ? newArgs : c.args(),
                envAdd.isEmpty() && envRm.isEmpty()
                        ? c.env() : KeyValues.updateEnv(c.env(), KeyValues.env(envAdd, daemon.context().env()), envRm),
                c.labels(),
                workdir != null ? (workdir.isEmpty() ? null : workdir) : c.dir(),
                stopGracePeriod != null ? Long.valueOf(stopGracePeriod.toNanos()) : c.stopGracePeriod(),
                healthcheck.applyTo(c.healthcheck(), spec.commandLine()));
        Long forceUpdate = task.forceUpdate();
        if (force) {
            forceUpdate = forceUpdate == null ? 1L : forceUpdate + 1;
        }
        TaskSpec newTask = new TaskSpec(container, restart.applyTo(task.restartPolicy()), forceUpdate,
                resources.applyTo(task.resources()), placement.applyTo(task.placement()));
        ServiceSpec next = new ServiceSpec(current.name(),
                labelAdd.isEmpty() && labelRm.isEmpty() ? current.labels() : KeyValues.updateLabels(current.labels(), labelAdd, labelRm),
                newTask, mode(current), updatePolicy.applyTo(current.updateConfig()), rollbackPolicy.applyTo(current.rollbackConfig()),
                current.endpointSpec(), rebalance ? Long.valueOf(current.rebalanceOrZero() + 1) : current.rebalance());
        ServiceMode.Kind kind = current.modeKind();
        if ((kind == ServiceMode.Kind.GLOBAL || kind == ServiceMode.Kind.GLOBAL_JOB) && placement.maxReplicas != null && placement.maxReplicas > 0) {
            throw new ParameterException(spec.commandLine(), "--replicas-max-per-node can only be used with replicated services; service "
                    + current.name() + " is " + kind.cliName() + " (it runs one task per node)");
        }
        return next;
    }

    /** The mode after {@code --replicas} and {@code --max-concurrent}; the kind never changes. */
    private ServiceMode mode(ServiceSpec current) {
        ServiceMode.Kind kind = current.modeKind();
        if (mode != null && mode != kind) {
            throw new ParameterException(spec.commandLine(), "--mode cannot be changed by service update: service " + current.name()
                    + " is " + kind.cliName() + ", not " + mode.cliName() + " (remove it and create it again)");
        }
        if (maxConcurrent != null && kind != ServiceMode.Kind.REPLICATED_JOB) {
            throw new ParameterException(spec.commandLine(), "--max-concurrent can only be used with replicated-job services; service "
                    + current.name() + " is " + kind.cliName());
        }
        if (replicas != null && (kind == ServiceMode.Kind.GLOBAL || kind == ServiceMode.Kind.GLOBAL_JOB)) {
            throw new ParameterException(spec.commandLine(), "--replicas can only be used with replicated services and replicated jobs; service "
                    + current.name() + " is " + kind.cliName());
        }
        return switch (kind) {
            case REPLICATED -> replicas != null ? ServiceMode.replicated(replicas) : current.mode();
            case REPLICATED_JOB -> replicas == null && maxConcurrent == null ? current.mode() : ServiceMode.ofReplicatedJob(
                    maxConcurrent != null ? maxConcurrent : current.mode().replicatedJob().maxConcurrent(),
                    replicas != null ? replicas : current.mode().replicatedJob().totalCompletions());
            case GLOBAL, GLOBAL_JOB -> current.mode();
        };
    }

    /** Shell-like words of a flag's value; an empty value clears the list. */
    private List<String> words(String flag, String value) {
        if (value == null) {
            return null;
        }
        try {
            List<String> w = ShellWords.split(value);
            return w.isEmpty() ? null : w;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }
}
