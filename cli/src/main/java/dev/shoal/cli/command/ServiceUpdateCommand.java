package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
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
 * {@code shoal service update [OPTIONS] SERVICE}: reads the service's spec and version, applies the
 * flags, and sends the whole spec back quoting that version. When another writer got there first
 * (CONFLICT) it reads again and retries once.
 */
@Command(name = "update", description = "Update a service")
final class ServiceUpdateCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Spec
    private CommandSpec spec;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Service image tag")
    private String image;

    @Option(names = "--replicas", paramLabel = "N", description = "Number of tasks")
    private Long replicas;

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

    @Option(names = {"-d", "--detach"}, description = "Exit immediately instead of waiting for the service to converge")
    private boolean detach;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output")
    private boolean quiet;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "Service name, id or id prefix")
    private String service;

    @Override
    public Integer call() {
        List<String> newArgs = words("--args", args);
        List<String> newEntrypoint = words("--entrypoint", entrypoint);
        try (ShoalClient client = daemon.connect()) {
            Service updated = updateWithRetry(client, current -> apply(current, newArgs, newEntrypoint));
            daemon.output().println(service);
            if (!detach) {
                Convergence.await(client, updated.id().value(), service, daemon.context(), quiet);
            }
        }
        return 0;
    }

    /** Reads, changes, writes; on CONFLICT reads again and retries once. */
    static Service updateWithRetry(ShoalClient client, String ref, java.util.function.UnaryOperator<ServiceSpec> change) {
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

    private Service updateWithRetry(ShoalClient client, java.util.function.UnaryOperator<ServiceSpec> change) {
        return updateWithRetry(client, service, change);
    }

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
                stopGracePeriod != null ? Long.valueOf(stopGracePeriod.toNanos()) : c.stopGracePeriod());
        Long forceUpdate = task.forceUpdate();
        if (force) {
            forceUpdate = forceUpdate == null ? 1L : forceUpdate + 1;
        }
        TaskSpec newTask = new TaskSpec(container, restart.applyTo(task.restartPolicy()), forceUpdate);
        ServiceSpec next = new ServiceSpec(current.name(),
                labelAdd.isEmpty() && labelRm.isEmpty() ? current.labels() : KeyValues.updateLabels(current.labels(), labelAdd, labelRm),
                newTask, current.mode());
        return replicas != null ? next.withReplicas(replicas) : next;
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
