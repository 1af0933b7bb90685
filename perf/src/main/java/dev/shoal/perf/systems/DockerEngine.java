package dev.shoal.perf.systems;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The local Docker Engine, through docker-java on its unix socket for everything measured and
 * through the {@code docker} command for one-off set-up (swarm init and leave). Never pulls.
 * Thread-safe.
 */
public final class DockerEngine implements AutoCloseable {
    public static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    private final String socket;
    private final DockerClient client;

    public DockerEngine(String socket) {
        this.socket = socket;
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix://" + socket).build();
        var http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
    }

    public DockerClient client() {
        return client;
    }

    public String socket() {
        return socket;
    }

    public String serverVersion() {
        return client.versionCmd().exec().getVersion();
    }

    /**
     * The id ({@code sha256:...}) of a local image.
     *
     * @throws IllegalStateException naming the image when it is not there (this harness never pulls)
     */
    public String localImageId(String image) {
        try {
            return client.inspectImageCmd(image).exec().getId();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            throw new IllegalStateException("image " + image + " is not on the local Docker engine; build it with"
                    + " scripts/build-test-image.sh (this harness never pulls)");
        }
    }

    /** True when the engine is a swarm manager or worker already. */
    public boolean inSwarm() {
        LocalNodeState s = client.infoCmd().exec().getSwarm().getLocalNodeState();
        return s != null && s != LocalNodeState.INACTIVE;
    }

    /** Ids of containers (running or not) carrying {@code label=value}, or whose name starts with {@code namePrefix}. */
    public List<String> containers(String label, String value, String namePrefix) {
        Set<String> ids = new LinkedHashSet<>();
        for (Container c : client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(label, value)).exec()) {
            ids.add(c.getId());
        }
        if (namePrefix != null) {
            for (Container c : client.listContainersCmd().withShowAll(true).withNameFilter(List.of(namePrefix)).exec()) {
                if (c.getNames() != null && Arrays.stream(c.getNames()).anyMatch(n -> n.startsWith("/" + namePrefix))) {
                    ids.add(c.getId());
                }
            }
        }
        return new ArrayList<>(ids);
    }

    public void kill(String containerId) {
        client.killContainerCmd(containerId).exec();
    }

    public void forceRemove(String containerId) {
        try {
            client.removeContainerCmd(containerId).withForce(true).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            // already gone
        }
    }

    /** Runs the {@code docker} command; returns stdout; fails on a non-zero exit or after 60 s. */
    public static String cli(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 60 s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run docker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running docker", e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
