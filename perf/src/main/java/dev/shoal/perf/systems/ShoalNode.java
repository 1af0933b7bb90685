package dev.shoal.perf.systems;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.SystemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The one-node Shoal swarm under measurement: a {@link ShoalDaemonProcess}, a {@link ShoalClient}
 * on its socket and the {@link ShoalTarget} over it. {@link #restart()} stops the daemon process
 * and starts a new one on the same data directory, which rejoins the swarm on its own; the
 * harness uses it to give every measurement a daemon that no earlier measurement left work in.
 * Not thread-safe.
 */
public final class ShoalNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShoalNode.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final int raftPort;
    private final String image;
    private ShoalDaemonProcess daemon;
    private ShoalClient client;
    private ShoalTarget target;
    private String nodeId;
    private int restarts;

    private ShoalNode(Path dir, int raftPort, String image) {
        this.dir = dir;
        this.raftPort = raftPort;
        this.image = image;
    }

    /**
     * Starts a daemon in {@code dir} and makes it a one-manager swarm listening on
     * {@code 127.0.0.1:managerPort} (Docker Swarm's own 2377 may be taken by the engine).
     */
    public static ShoalNode startAndInit(Path dir, int raftPort, int managerPort, String image) throws IOException {
        ShoalNode n = new ShoalNode(dir, raftPort, image);
        try {
            n.startProcess();
            n.client.swarmInit(new SwarmInitRequest("127.0.0.1:" + managerPort, "127.0.0.1", null)).block(START_TIMEOUT);
            SystemInfo info = n.client.info().block(Duration.ofSeconds(10));
            n.nodeId = info.nodeId();
            if (!"docker".equals(info.executor())) {
                throw new IllegalStateException("the Shoal daemon runs the " + info.executor() + " executor, not docker");
            }
            return n;
        } catch (RuntimeException | IOException e) {
            n.close();
            throw e;
        }
    }

    private void startProcess() throws IOException {
        daemon = ShoalDaemonProcess.start(dir, raftPort, START_TIMEOUT);
        client = ShoalClient.connectNow(daemon.host(), Duration.ofSeconds(10));
        target = new ShoalTarget(client, image);
    }

    /** Stops the daemon process and starts a fresh one that rejoins the swarm; waits until its manager answers. */
    public void restart() throws IOException {
        client.close();
        daemon.close();
        startProcess();
        restarts++;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                client.serviceList().collectList().block(Duration.ofSeconds(10));
                return;
            } catch (ApiException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the restarted Shoal daemon's manager did not answer within " + START_TIMEOUT
                            + ": " + e.getMessage() + "; log " + daemon.log());
                }
                sleep(100);
            }
        }
    }

    public ShoalTarget target() {
        return target;
    }

    public String host() {
        return daemon.host();
    }

    public long pid() {
        return daemon.pid();
    }

    public Path log() {
        return daemon.log();
    }

    public String nodeId() {
        return nodeId;
    }

    public int restarts() {
        return restarts;
    }

    /** {@code swarm leave --force} while the daemon runs, then stops it; copies its log to {@code keepLog} when not null. */
    public void close(Path keepLog) {
        try {
            if (client != null && nodeId != null) {
                client.swarmLeave(true).block(Duration.ofSeconds(60));
            }
        } catch (RuntimeException e) {
            log.warn("shoal swarm leave --force failed: {}", e.getMessage());
        } finally {
            if (client != null) {
                client.close();
            }
            if (daemon != null) {
                daemon.close();
                if (keepLog != null) {
                    try {
                        Files.createDirectories(keepLog.toAbsolutePath().getParent());
                        Files.copy(daemon.log(), keepLog, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        log.warn("cannot keep the daemon log: {}", e.getMessage());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        close(null);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
