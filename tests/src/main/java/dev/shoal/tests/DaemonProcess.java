package dev.shoal.tests;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.cli.daemon.DaemonConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code shoal daemon} process, started from this JVM's class path with the JDK that runs
 * the tests, either in this machine's network namespace or inside a host of a
 * {@link NetworkHosts} LAN. Ended only through the handle that started it (by its PID): SIGTERM
 * with {@link #terminate}, SIGKILL with {@link #kill}; {@link #restart} starts it again on the same
 * data directory and socket.
 *
 * <p>In a host the command is {@code ip netns exec <namespace> java ...}; {@code ip} switches
 * namespace and execs java, so {@link #pid()} is the JVM's own PID. The control socket is a file,
 * so this JVM reaches it from outside the host.
 *
 * <p>Configure ({@link #withArgs}) before {@link #start}; not thread-safe.
 */
public final class DaemonProcess implements AutoCloseable {
    private final Path dataDir;
    private final Path socket;
    private final Path log;
    private final String executor;
    private final int raftPort;
    private final NetworkHosts.Host networkHost;
    private final List<String> extraArgs;
    private Process process;

    private DaemonProcess(Path dataDir, Path socket, Path log, String executor, int raftPort, NetworkHosts.Host networkHost,
            List<String> extraArgs) {
        this.dataDir = dataDir;
        this.socket = socket;
        this.log = log;
        this.executor = executor;
        this.raftPort = raftPort;
        this.networkHost = networkHost;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** A daemon with its data under {@code dir} and its socket in a short /tmp path (unix socket paths are limited to 107 bytes). */
    public static DaemonProcess create(Path dir, String executor) {
        return create(dir, executor, null);
    }

    /**
     * A daemon that will run inside {@code host} (in this machine's namespace if null), with its
     * data under {@code dir}. In a host it has the namespace's ports to itself, so it takes the
     * default Raft port, as on a real machine; otherwise a free port of this machine.
     */
    public static DaemonProcess create(Path dir, String executor, NetworkHosts.Host host) {
        try {
            Path sockDir = Files.createTempDirectory(Path.of("/tmp"), "shoal-p");
            int raftPort = host == null ? freePort() : DaemonConfig.DEFAULT_RAFT_PORT;
            return new DaemonProcess(dir.resolve("data"), sockDir.resolve("s.sock"), dir.resolve("daemon.log"), executor, raftPort,
                    host, List.of());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A copy that also passes {@code args} to {@code shoal daemon} (after the options this class
     * sets), e.g. {@code withArgs("--advertise-addr", host.address())}. Only before {@link #start}.
     */
    public DaemonProcess withArgs(String... args) {
        if (process != null) {
            throw new IllegalStateException("the daemon is already started: configure it before start()");
        }
        List<String> all = new ArrayList<>(extraArgs);
        all.addAll(Arrays.asList(args));
        return new DaemonProcess(dataDir, socket, log, executor, raftPort, networkHost, all);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String host() {
        return "unix://" + socket;
    }

    public Path log() {
        return log;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int raftPort() {
        return raftPort;
    }

    /** The LAN host the daemon runs in; null when it runs in this machine's namespace. */
    public NetworkHosts.Host networkHost() {
        return networkHost;
    }

    /** The arguments added with {@link #withArgs}. */
    public List<String> extraArgs() {
        return extraArgs;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The full command line: {@code [ip netns exec <ns>] java ... daemon ...}. */
    public List<String> command() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.shoal.cli.ShoalMain", "daemon",
                "--data-dir", dataDir.toString(), "--socket", socket.toString(), "--executor", executor,
                "--raft-port", Integer.toString(raftPort)));
        cmd.addAll(extraArgs);
        return networkHost == null ? cmd : networkHost.command(cmd);
    }

    /** Starts the process and waits until its socket answers. */
    public DaemonProcess start() {
        if (isAlive()) {
            throw new IllegalStateException("the daemon is already running (pid " + process.pid() + ")");
        }
        List<String> cmd = command();
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the daemon: " + e.getMessage(), e);
        }
        Await.until(Duration.ofSeconds(60), "the daemon's socket to answer", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited with " + process.exitValue() + "; log: " + tail());
            }
            try (ShoalClient c = ShoalClient.connectNow(host(), Duration.ofSeconds(2))) {
                return c.info().block(Duration.ofSeconds(5)) != null;
            } catch (RuntimeException e) {
                return false;
            }
        }, this::tail);
        return this;
    }

    public ShoalClient client() {
        return ShoalClient.connectNow(host(), Duration.ofSeconds(10));
    }

    public long pid() {
        requireStarted();
        return process.pid();
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("the daemon was never started");
        }
    }

    /**
     * Starts the daemon again, with the same data directory, socket, Raft port and arguments,
     * after {@link #terminate} or {@link #kill}; waits until its socket answers.
     */
    public DaemonProcess restart() {
        if (process == null) {
            throw new IllegalStateException("the daemon was never started: use start()");
        }
        if (process.isAlive()) {
            throw new IllegalStateException("the daemon is still running (pid " + process.pid() + "): terminate() or kill() it first");
        }
        return start();
    }

    /**
     * Sends SIGKILL, as a crash or an OOM kill would, and waits for the process to exit; returns
     * its exit code (137). The daemon gets no chance to clean up: its socket file stays behind.
     */
    public int kill(Duration timeout) {
        requireStarted();
        process.destroyForcibly();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("daemon (pid " + process.pid() + ") did not exit within " + timeout + " of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    public int kill() {
        return kill(Duration.ofSeconds(30));
    }

    /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
    public int terminate(Duration timeout) {
        requireStarted();
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("daemon did not exit within " + timeout + " of SIGTERM; log: " + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    public String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            terminate(Duration.ofSeconds(30));
        }
    }
}
