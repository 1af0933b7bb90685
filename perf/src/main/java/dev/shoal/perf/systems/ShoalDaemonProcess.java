package dev.shoal.perf.systems;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code shoal daemon} run as a child process of the harness, with its own data directory,
 * control socket and Raft port under a temporary directory, on the harness's classpath. The
 * harness holds the {@link Process}; {@link #close()} stops exactly that process.
 */
public final class ShoalDaemonProcess implements AutoCloseable {
    /** The CLI's main class. */
    public static final String MAIN_CLASS = "dev.shoal.cli.ShoalMain";

    private final Process process;
    private final Path dir;
    private final Path socket;
    private final Path log;
    private final List<String> command;

    private ShoalDaemonProcess(Process process, Path dir, Path socket, Path log, List<String> command) {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
        this.log = log;
        this.command = command;
    }

    /**
     * Starts a daemon with the Docker executor and waits until its control socket answers.
     *
     * @param dir      an empty directory of the harness's; the daemon's data and socket go in it
     * @param raftPort a free TCP port on 127.0.0.1 for the daemon's Raft server
     * @param timeout  how long to wait for the socket to answer
     */
    public static ShoalDaemonProcess start(Path dir, int raftPort, Duration timeout) throws IOException {
        Path data = dir.resolve("data");
        Path socket = dir.resolve("shoal.sock");
        Path log = dir.resolve("daemon.log");
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        String logback = System.getProperty("perf.daemon.logback");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN_CLASS);
        cmd.addAll(daemonArgs(data, socket, raftPort));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ShoalDaemonProcess d = new ShoalDaemonProcess(p, dir, socket, log, cmd);
        try {
            d.awaitReady(timeout);
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    /** The daemon's command-line arguments after the main class. */
    static List<String> daemonArgs(Path data, Path socket, int raftPort) {
        List<String> args = new ArrayList<>(List.of("daemon",
                "--data-dir", data.toString(),
                "--socket", socket.toString(),
                "--executor", "docker",
                "--raft-port", Integer.toString(raftPort)));
        // for an analysis run only: debug logging costs time of its own
        String level = System.getProperty("perf.daemon.logLevel");
        if (level != null && !level.isBlank()) {
            args.add("--log-level");
            args.add(level);
        }
        return args;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "socket not created";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("shoal daemon exited with " + process.exitValue() + " before answering; log "
                        + log + ":\n" + tail());
            }
            if (Files.exists(socket)) {
                try (ShoalClient c = ShoalClient.connectNow(host(), Duration.ofSeconds(2))) {
                    c.info().block(Duration.ofSeconds(2));
                    return;
                } catch (ApiException | IllegalStateException e) {
                    last = e.getMessage();
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("shoal daemon did not answer on " + socket + " within " + timeout + " (" + last
                + "); log " + log + ":\n" + tail());
    }

    /** The last lines of the daemon's log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String host() {
        return "unix://" + socket;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return log;
    }

    public List<String> command() {
        return command;
    }

    /** SIGTERM, then SIGKILL after 20 s; only this process. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
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
