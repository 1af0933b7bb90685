package dev.shoal.cli.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/** Configs for daemons in tests: a data directory of the test, a short socket path, a free Raft port. */
public final class DaemonTestSupport {
    private DaemonTestSupport() {}

    /** A daemon config in {@code dataDir} with the process executor and a socket under /tmp (paths must stay under 108 bytes). */
    public static DaemonConfig config(Path dataDir) {
        return new DaemonConfig(dataDir, socketPath(), ExecutorChoice.PROCESS, freePort(), "test-node", Clock.systemUTC());
    }

    public static Path socketPath() {
        return Path.of("/tmp", "shoal-test-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
