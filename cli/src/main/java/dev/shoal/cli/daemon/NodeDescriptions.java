package dev.shoal.cli.daemon;

import com.sun.management.OperatingSystemMXBean;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.cli.ShoalVersion;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/** What this node reports about itself: hostname, platform as Docker names it, CPUs, memory. */
final class NodeDescriptions {
    private NodeDescriptions() {}

    /**
     * @param hostname the name to report, or null for the machine's
     * @param labels   the engine labels ({@code shoal daemon --label})
     */
    static NodeDescription of(String hostname, String executorName, Map<String, String> labels) {
        String host = hostname != null && !hostname.isBlank() ? hostname : machineHostname();
        long nanoCpus = Runtime.getRuntime().availableProcessors() * 1_000_000_000L;
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getTotalMemorySize() : Runtime.getRuntime().maxMemory();
        return new NodeDescription(host,
                new NodeDescription.Platform(architecture(), System.getProperty("os.name").toLowerCase(Locale.ROOT)),
                new NodeDescription.Resources(nanoCpus, memory),
                new NodeDescription.Engine(ShoalVersion.version(), labels.isEmpty() ? null : labels),
                executorName);
    }

    /** {@code uname -m} names, as Docker reports them: amd64 is x86_64. */
    static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> arch;
        };
    }

    private static String machineHostname() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }
}
