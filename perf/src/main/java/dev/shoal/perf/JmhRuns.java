package dev.shoal.perf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs JMH benchmarks of this module from the harness, in a forked JVM each, and reads their results. */
final class JmhRuns {
    /** Flags every JVM of Shoal needs (RSocket and Ratis use sun.misc.Unsafe). */
    static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private final boolean quick;

    JmhRuns(boolean quick) {
        this.quick = quick;
    }

    /**
     * Runs the benchmarks whose names match {@code include}, with {@code properties} as system
     * properties of the fork; {@code threads} overrides the annotation when positive.
     */
    Collection<RunResult> run(String include, Map<String, String> properties, int threads) throws RunnerException {
        List<String> jvm = new ArrayList<>(JVM_FLAGS);
        properties.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            jvm.add("-Dlogback.configurationFile=" + logback);
        }
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(include)
                .forks(1)
                .shouldFailOnError(true)
                .jvmArgsAppend(jvm.toArray(String[]::new));
        if (threads > 0) {
            b.threads(threads);
        }
        if (quick) {
            b.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2).measurementTime(TimeValue.seconds(1));
        }
        return new Runner(b.build()).run();
    }

    /** The result of the benchmark method named {@code method}, or null. */
    static RunResult find(Collection<RunResult> results, String method) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method)) {
                return r;
            }
        }
        return null;
    }
}
