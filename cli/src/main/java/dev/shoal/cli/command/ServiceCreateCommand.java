package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.ServiceCreateResponse;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.cli.format.ShellWords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]}. Everything after IMAGE belongs to
 * the command (the parser stops at the first positional, as Docker's does), so
 * {@code sh -c "..."} needs no {@code --}.
 */
@Command(name = "create", description = "Create a new service",
        customSynopsis = "shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]")
final class ServiceCreateCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Service name")
    private String name;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "Service mode (\"replicated\", \"global\", \"replicated-job\", \"global-job\") (default \"replicated\")")
    private ServiceMode.Kind mode;

    @Option(names = "--replicas", paramLabel = "N",
            description = "Number of tasks (default 1); for a replicated job, the number of completions")
    private Long replicas;

    @Option(names = "--max-concurrent", paramLabel = "N",
            description = "Number of job tasks to run concurrently (default equal to --replicas)")
    private Long maxConcurrent;

    @Mixin
    private PlacementOptions placement;

    @Mixin
    private ResourceOptions resources;

    @Mixin
    private HealthcheckOptions healthcheck;

    @Mixin
    private UpdatePolicyOptions updatePolicy;

    @Mixin
    private RollbackPolicyOptions rollbackPolicy;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", converter = Converters.EnvConverter.class,
            description = "Set environment variables")
    private List<String> env = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", converter = Converters.LabelConverter.class,
            description = "Service labels")
    private List<String> labels = new ArrayList<>();

    @Option(names = "--container-label", paramLabel = "KEY=VALUE", converter = Converters.LabelConverter.class,
            description = "Container labels")
    private List<String> containerLabels = new ArrayList<>();

    @Mixin
    private RestartOptions restart;

    @Option(names = "--stop-grace-period", paramLabel = "DURATION",
            description = "Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s)")
    private Duration stopGracePeriod;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container")
    private String workdir;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Overwrite the default ENTRYPOINT of the image")
    private String entrypoint;

    @Option(names = {"-d", "--detach"}, description = "Exit immediately instead of waiting for the service to converge")
    private boolean detach;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output")
    private boolean quiet;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to run (a local image on the Docker executor)")
    private String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments")
    private List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        ServiceSpec serviceSpec = spec();
        try (ShoalClient client = daemon.connect()) {
            ServiceCreateResponse created = await(client.serviceCreate(serviceSpec));
            daemon.output().println(created.id().value());
            if (!detach) {
                String shownName = serviceSpec.name() != null ? serviceSpec.name() : created.id().value();
                Convergence.await(client, created.id().value(), shownName, daemon.context(), quiet);
            }
        }
        return 0;
    }

    ServiceSpec spec() {
        List<String> entry = null;
        if (entrypoint != null) {
            try {
                entry = ShellWords.split(entrypoint);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(),
                        "invalid argument \"" + entrypoint + "\" for \"--entrypoint\" flag: " + e.getMessage());
            }
        }
        ContainerSpec container = new ContainerSpec(
                image,
                entry,
                command.isEmpty() ? null : command,
                KeyValues.env(env, daemon.context().env()),
                KeyValues.labels(containerLabels),
                workdir,
                stopGracePeriod == null ? null : stopGracePeriod.toNanos(),
                healthcheck.applyTo(null, spec.commandLine()));
        ServiceMode serviceMode = mode();
        TaskSpec task = new TaskSpec(container, restart.applyTo(null), null, resources.applyTo(null), placement.placement());
        String serviceName = name == null ? ServiceNames.random() : name;
        return new ServiceSpec(serviceName, KeyValues.labels(labels), task, serviceMode,
                updatePolicy.applyTo(null), rollbackPolicy.applyTo(null), null, null);
    }

    /**
     * The mode from {@code --mode}, {@code --replicas} and {@code --max-concurrent}; null when
     * none is given (the daemon's default: one replica).
     *
     * @throws ParameterException for a flag the mode has no use for
     */
    private ServiceMode mode() {
        ServiceMode.Kind kind = mode == null ? ServiceMode.Kind.REPLICATED : mode;
        if (maxConcurrent != null && kind != ServiceMode.Kind.REPLICATED_JOB) {
            throw new ParameterException(spec.commandLine(), "--max-concurrent can only be used with --mode replicated-job, not with --mode " + kind.cliName());
        }
        boolean global = kind == ServiceMode.Kind.GLOBAL || kind == ServiceMode.Kind.GLOBAL_JOB;
        if (global && replicas != null) {
            throw new ParameterException(spec.commandLine(), "--replicas can only be used with --mode replicated or replicated-job, not with --mode "
                    + kind.cliName() + " (it runs one task on every node that fits)");
        }
        if (global && placement.maxReplicas != null && placement.maxReplicas > 0) {
            throw new ParameterException(spec.commandLine(), "--replicas-max-per-node can only be used with replicated services, not with --mode "
                    + kind.cliName() + " (it runs one task per node)");
        }
        return switch (kind) {
            case REPLICATED -> mode == null && replicas == null ? null : new ServiceMode(new ServiceMode.Replicated(replicas));
            case GLOBAL -> ServiceMode.ofGlobal();
            case REPLICATED_JOB -> ServiceMode.ofReplicatedJob(maxConcurrent, replicas);
            case GLOBAL_JOB -> ServiceMode.ofGlobalJob();
        };
    }
}
