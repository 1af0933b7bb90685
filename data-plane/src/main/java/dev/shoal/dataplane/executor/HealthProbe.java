package dev.shoal.dataplane.executor;

import dev.shoal.api.model.HealthConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * A process's healthcheck, run by the process executor as dockerd runs a container's: the check
 * every {@code Interval}, killed after {@code Timeout}; {@code Retries} failures in a row make the
 * process unhealthy, a success makes it healthy, and failures within {@code StartPeriod} of the
 * start do not count. {@code ["CMD", argv...]} is run as is, {@code ["CMD-SHELL", cmd]} through
 * {@code /bin/sh -c}, with the task's environment and directory. The verdict is read with
 * {@link #health()}; {@link #dispose()} stops the checks. Thread-safe.
 */
final class HealthProbe implements Disposable {
    private static final Logger log = LoggerFactory.getLogger(HealthProbe.class);
    private static final int MAX_OUTPUT = 4096;

    private final String name;
    private final List<String> argv;
    private final Map<String, String> env;
    private final File dir;
    private final HealthConfig config;
    private final long startedNanos = System.nanoTime();
    private final Disposable.Swap next = Disposables.swap();
    private final Scheduler scheduler;
    private volatile Instance.Health health = Instance.Health.STARTING;
    private volatile String output;
    private volatile boolean disposed;
    private int failures; // touched by one check at a time

    private HealthProbe(String name, List<String> argv, Map<String, String> env, File dir, HealthConfig config, Scheduler scheduler) {
        this.name = name;
        this.argv = argv;
        this.env = env;
        this.dir = dir;
        this.config = config;
        this.scheduler = scheduler;
    }

    /** The command a healthcheck runs, or null when it has none (unset, empty or NONE). */
    static List<String> command(HealthConfig h) {
        if (h == null || h.test() == null || h.test().isEmpty() || h.disabled()) {
            return null;
        }
        List<String> test = h.test();
        return switch (test.getFirst()) {
            case "CMD" -> test.size() < 2 ? null : List.copyOf(test.subList(1, test.size()));
            case "CMD-SHELL" -> test.size() < 2 ? null : List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> null;
        };
    }

    /** Starts checking; the first check runs one interval after the start, as Docker's does. */
    static HealthProbe start(String name, List<String> argv, Map<String, String> env, File dir, HealthConfig config, Scheduler scheduler) {
        HealthProbe p = new HealthProbe(name, argv, env, dir, config, scheduler);
        p.schedule();
        return p;
    }

    Instance.Health health() {
        return health;
    }

    String output() {
        return output;
    }

    private void schedule() {
        if (!disposed) {
            next.update(scheduler.schedule(this::check, config.intervalOrDefault(), TimeUnit.NANOSECONDS));
        }
    }

    private void check() {
        if (disposed) {
            return;
        }
        boolean ok;
        String out;
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            pb.environment().putAll(env);
            if (dir != null) {
                pb.directory(dir);
            }
            Process p = pb.start();
            boolean finished = p.waitFor(config.timeoutOrDefault(), TimeUnit.NANOSECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                ok = false;
                out = "Health check exceeded timeout (" + Duration.ofNanos(config.timeoutOrDefault()) + ")";
            } else {
                byte[] bytes = p.getInputStream().readNBytes(MAX_OUTPUT);
                out = new String(bytes, StandardCharsets.UTF_8).strip();
                ok = p.exitValue() == 0;
            }
        } catch (IOException e) {
            ok = false;
            out = "cannot run the healthcheck: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        output = out;
        if (ok) {
            failures = 0;
            health = Instance.Health.HEALTHY;
        } else if (System.nanoTime() - startedNanos >= config.startPeriodOrZero() || health == Instance.Health.HEALTHY) {
            if (++failures >= config.retriesOrDefault()) {
                if (health != Instance.Health.UNHEALTHY) {
                    log.info("{}: unhealthy after {} failed checks: {}", name, failures, out);
                }
                health = Instance.Health.UNHEALTHY;
            }
        }
        schedule();
    }

    @Override
    public void dispose() {
        disposed = true;
        next.dispose();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
