package dev.shoal.cli.daemon;

import dev.shoal.api.client.Transports;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link ShoalDaemon} runs. Immutable; the {@code with*} methods return changed copies, so
 * tests can start several daemons in one JVM from {@link #defaults()}.
 *
 * @param dataDir  the node's state: {@code node-id}, {@code swarm/} (Raft log, {@code state.json}),
 *                 {@code executor/} (default {@value #DEFAULT_DATA_DIR})
 * @param socket   the control socket (default {@value Transports#DEFAULT_SOCKET}); its path must be
 *                 shorter than {@value ControlSocket#MAX_PATH_BYTES} bytes
 * @param executor which executor runs tasks (default {@link ExecutorChoice#AUTO})
 * @param raftPort the Raft port of a manager (default {@value #DEFAULT_RAFT_PORT}); bound on
 *                 loopback only until Raft has mutual TLS
 * @param hostname the hostname this node reports; null for the machine's
 * @param clock    the clock of the manager and of timestamps
 * @param labels   the engine labels this node reports ({@code --label k=v}), for
 *                 {@code engine.labels.*} placement constraints; empty for none
 */
public record DaemonConfig(Path dataDir, Path socket, ExecutorChoice executor, int raftPort, String hostname, Clock clock,
                           Map<String, String> labels) {
    public static final String DEFAULT_DATA_DIR = "/var/lib/shoal";
    public static final int DEFAULT_RAFT_PORT = 2378;

    public DaemonConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(clock, "clock");
        if (raftPort < 1 || raftPort > 65535) {
            throw new IllegalArgumentException("invalid raft port: " + raftPort + ": must be between 1 and 65535");
        }
        dataDir = dataDir.toAbsolutePath();
        socket = socket.toAbsolutePath();
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public DaemonConfig(Path dataDir, Path socket, ExecutorChoice executor, int raftPort, String hostname, Clock clock) {
        this(dataDir, socket, executor, raftPort, hostname, clock, Map.of());
    }

    public static DaemonConfig defaults() {
        return new DaemonConfig(Path.of(DEFAULT_DATA_DIR), Path.of(Transports.DEFAULT_SOCKET), ExecutorChoice.AUTO,
                DEFAULT_RAFT_PORT, null, Clock.systemUTC());
    }

    public DaemonConfig withDataDir(Path dir) {
        return new DaemonConfig(dir, socket, executor, raftPort, hostname, clock, labels);
    }

    public DaemonConfig withSocket(Path path) {
        return new DaemonConfig(dataDir, path, executor, raftPort, hostname, clock, labels);
    }

    public DaemonConfig withExecutor(ExecutorChoice choice) {
        return new DaemonConfig(dataDir, socket, choice, raftPort, hostname, clock, labels);
    }

    public DaemonConfig withRaftPort(int port) {
        return new DaemonConfig(dataDir, socket, executor, port, hostname, clock, labels);
    }

    public DaemonConfig withHostname(String name) {
        return new DaemonConfig(dataDir, socket, executor, raftPort, name, clock, labels);
    }

    public DaemonConfig withLabels(Map<String, String> l) {
        return new DaemonConfig(dataDir, socket, executor, raftPort, hostname, clock, l);
    }

    public DaemonConfig withClock(Clock c) {
        return new DaemonConfig(dataDir, socket, executor, raftPort, hostname, c, labels);
    }
}
