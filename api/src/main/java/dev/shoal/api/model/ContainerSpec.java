package dev.shoal.api.model;

import java.util.List;
import java.util.Map;

/**
 * What a task runs. On the Docker executor {@code image} names a local image; on the process
 * executor the command and args are run as a child process and the image is only recorded.
 *
 * @param image           image reference, required
 * @param command         replaces the image's entrypoint when set
 * @param args            arguments (the image's CMD when the command is unset)
 * @param env             {@code KEY=value} entries
 * @param labels          container labels
 * @param dir             working directory
 * @param stopGracePeriod nanoseconds between SIGTERM and SIGKILL (default 10 s)
 * @param healthcheck     overrides the image's healthcheck; a task is RUNNING only once healthy
 */
public record ContainerSpec(
        String image,
        List<String> command,
        List<String> args,
        List<String> env,
        Map<String, String> labels,
        String dir,
        Long stopGracePeriod,
        HealthConfig healthcheck) {

    public static final long DEFAULT_STOP_GRACE_PERIOD = 10_000_000_000L;

    public ContainerSpec {
        command = command == null ? null : List.copyOf(command);
        args = args == null ? null : List.copyOf(args);
        env = env == null ? null : List.copyOf(env);
        labels = labels == null ? null : Map.copyOf(labels);
    }

    public ContainerSpec(String image, List<String> command, List<String> args, List<String> env,
                         Map<String, String> labels, String dir, Long stopGracePeriod) {
        this(image, command, args, env, labels, dir, stopGracePeriod, null);
    }

    public ContainerSpec withHealthcheck(HealthConfig h) {
        return new ContainerSpec(image, command, args, env, labels, dir, stopGracePeriod, h);
    }

    public static ContainerSpec of(String image, String... args) {
        return new ContainerSpec(image, null, args.length == 0 ? null : List.of(args), null, null, null, null);
    }

    public long stopGracePeriodOrDefault() {
        return stopGracePeriod == null ? DEFAULT_STOP_GRACE_PERIOD : stopGracePeriod;
    }
}
