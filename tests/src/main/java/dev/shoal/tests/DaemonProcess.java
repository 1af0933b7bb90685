package dev.shoal.tests;

import dev.shoal.api.client.ShoalClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code shoal daemon} process, started from this JVM's class path with the JDK that runs
 * the tests. Ended only through the handle that started it (by its PID), with SIGTERM first.
 */
public final class DaemonProcess implements AutoCloseable {
    private final Path dataDir;
    private final Path socket;
    private final Path log;
    private final String executor;
    private final int raftPort;
    private Process process;

    private DaemonProcess(Path dataDir, Path socket, Path log, String executor, int raftPort) {
        this.dataDir = dataDir;
        this.socket = socket;
        this.log = log;
        this.executor = executor;
        this.raftPort = raftPort;
    }

    /** A daemon with its data under {@code dir} and its socket in a short /tmp path (unix socket paths are limited to 107 bytes). */
    public static DaemonProcess create(Path dir, String executor) {
        try {
            Path sockDir = Files.createTempDirectory(Path.of("/tmp"), "shoal-p");
            return new DaemonProcess(dir.resolve("data"), sockDir.resolve("s.sock"), dir.resolve("daemon.log"), executor, freePort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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

    /** Starts the process and waits until its socket answers. */
    public DaemonProcess start() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.shoal.cli.ShoalMain", "daemon",
                "--data-dir", dataDir.toString(), "--socket", socket.toString(), "--executor", executor,
                "--raft-port", Integer.toString(raftPort)));
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
        return process.pid();
    }

    /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
    public int terminate(Duration timeout) {
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
