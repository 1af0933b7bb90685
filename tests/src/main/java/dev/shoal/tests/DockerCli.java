package dev.shoal.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host's {@code docker} command, used by tests to look at and hurt containers from outside
 * Shoal, as an operator would. Only ever touches containers Shoal made (by label).
 */
public final class DockerCli {
    /** The offline test image made by scripts/build-test-image.sh. */
    public static final String TEST_IMAGE = "shoal-test/busybox:latest";

    private DockerCli() {}

    /** Runs docker with {@code args}; returns stdout; fails on a non-zero exit. */
    public static String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("docker " + String.join(" ", args) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("docker " + String.join(" ", args) + " failed (" + p.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run docker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<String> lines(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Ids of running containers of a Shoal service (by Docker's swarm label). */
    public static List<String> runningContainersOfService(String serviceId) {
        return lines(run("ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.id=" + serviceId));
    }

    /** Ids of all containers, running or not, of a Shoal service. */
    public static List<String> allContainersOfService(String serviceId) {
        return lines(run("ps", "-aq", "--no-trunc", "--filter", "label=com.docker.swarm.service.id=" + serviceId));
    }

    /** Ids of all containers, running or not, that a node made. */
    public static List<String> allContainersOfNode(String nodeId) {
        return lines(run("ps", "-aq", "--no-trunc", "--filter", "label=com.docker.swarm.node.id=" + nodeId));
    }

    public static void kill(String containerId) {
        run("kill", containerId);
    }

    /** Force-removes every container a node made: test clean-up. */
    public static void removeAllOfNode(String nodeId) {
        List<String> ids = allContainersOfNode(nodeId);
        if (!ids.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(ids);
            run(args.toArray(String[]::new));
        }
    }
}
