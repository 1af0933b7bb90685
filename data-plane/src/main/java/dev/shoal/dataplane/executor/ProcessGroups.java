package dev.shoal.dataplane.executor;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Signals a whole process group with one {@code kill(2)} on {@code -pgid}, through the FFM API: the
 * JDK can signal one process at a time only. A task started through {@code setsid} leads its own
 * group, so this reaches every process of the task that did not leave the group, as Docker reaches
 * every process of a container's cgroup, without scanning {@code /proc}. Needs
 * {@code --enable-native-access=ALL-UNNAMED} (Shoal's JVM flags) to run without a warning.
 */
final class ProcessGroups {
    static final int SIGKILL = 9;
    @SuppressWarnings("restricted") // kill(2) is the point; Shoal runs with --enable-native-access
    private static final MethodHandle KILL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("kill").orElseThrow(() -> new IllegalStateException("libc has no kill()")),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private ProcessGroups() {}

    /**
     * Sends {@code signal} to every process of group {@code pgid}.
     *
     * @return false when the group has no process left (or may not be signalled)
     */
    static boolean signal(long pgid, int signal) {
        if (pgid <= 1 || pgid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid process group: " + pgid);
        }
        try {
            return (int) KILL.invokeExact((int) -pgid, signal) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("kill(-" + pgid + ", " + signal + ") failed", t);
        }
    }
}
