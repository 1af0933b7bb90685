package dev.shoal.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.SystemInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon outside any swarm: its control socket, its data directory, and what it refuses. */
class ShoalDaemonTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private ShoalDaemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private ShoalClient client() {
        return ShoalClient.connectNow(daemon.host(), TIMEOUT);
    }

    @Test
    void servesSystemInfoBeforeAnySwarm() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        try (ShoalClient client = client()) {
            SystemInfo info = client.info().block(TIMEOUT);
            assertEquals(daemon.nodeId().value(), info.nodeId());
            assertEquals("inactive", info.localNodeState());
            assertFalse(info.controlAvailable());
            assertEquals("process", info.executor());
        }
    }

    @Test
    void socketIsGroupReadableOnlyAndGoneAfterClose() throws Exception {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        Path socket = daemon.config().socket();
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), Files.getPosixFilePermissions(socket));
        daemon.close();
        assertFalse(Files.exists(socket));
    }

    @Test
    void clusterRoutesNeedASwarm() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        try (ShoalClient client = client()) {
            ApiException e = assertThrows(ApiException.class, () -> client.serviceList().collectList().block(TIMEOUT));
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertTrue(e.getMessage().contains("not part of a swarm"), e.getMessage());
        }
    }

    @Test
    void leaveOutsideASwarmIsRefused() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        try (ShoalClient client = client()) {
            ApiException e = assertThrows(ApiException.class, () -> client.swarmLeave(true).block(TIMEOUT));
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertEquals("This node is not part of a swarm", e.getMessage());
        }
    }

    @Test
    void malformedInitRequestIsRefusedAndNothingStarts() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        try (ShoalClient client = client()) {
            ApiException e = assertThrows(ApiException.class,
                    () -> client.callRaw(Routes.SWARM_INIT, "{\"ListenAddr\": 42, ".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("malformed request"), e.getMessage());
        }
        assertFalse(daemon.inSwarm());
        assertFalse(Files.exists(dataDir.resolve("swarm")));
    }

    @Test
    void badListenAddressIsRefusedAndNothingStarts() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        try (ShoalClient client = client()) {
            ApiException e = assertThrows(ApiException.class,
                    () -> client.swarmInit(new SwarmInitRequest("0.0.0.0:99999", null, null)).block(TIMEOUT));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals("invalid ListenAddr: 0.0.0.0:99999: the port must be a number between 1 and 65535", e.getMessage());
        }
        assertFalse(daemon.inSwarm());
        assertFalse(Files.exists(dataDir.resolve("swarm")));
    }

    @Test
    void wildcardAdvertiseAddressIsRefused() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        try (ShoalClient client = client()) {
            ApiException e = assertThrows(ApiException.class,
                    () -> client.swarmInit(new SwarmInitRequest(null, "0.0.0.0", null)).block(TIMEOUT));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        }
    }

    @Test
    void nodeIdSurvivesARestart() {
        DaemonConfig config = DaemonTestSupport.config(dataDir);
        daemon = ShoalDaemon.start(config);
        String first = daemon.nodeId().value();
        daemon.close();
        daemon = ShoalDaemon.start(config);
        assertEquals(first, daemon.nodeId().value());
        assertEquals(first, assertDoesNotThrowRead(dataDir.resolve("node-id")));
    }

    private static String assertDoesNotThrowRead(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        DaemonConfig config = DaemonTestSupport.config(dataDir);
        Files.writeString(config.socket(), "left over by a daemon that died");
        daemon = ShoalDaemon.start(config);
        try (ShoalClient client = client()) {
            assertEquals("inactive", client.info().block(TIMEOUT).localNodeState());
        }
    }

    @Test
    void secondDaemonOnTheSameSocketIsRefused() {
        DaemonConfig config = DaemonTestSupport.config(dataDir);
        daemon = ShoalDaemon.start(config);
        Path otherData = dataDir.resolve("other");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ShoalDaemon.start(config.withDataDir(otherData).withRaftPort(DaemonTestSupport.freePort())));
        assertTrue(e.getMessage().contains("another daemon is listening on " + config.socket()), e.getMessage());
        try (ShoalClient client = client()) {
            assertEquals(daemon.nodeId().value(), client.info().block(TIMEOUT).nodeId(), "the first daemon still answers");
        }
    }

    @Test
    void secondDaemonOnTheSameDataDirIsRefused() {
        DaemonConfig config = DaemonTestSupport.config(dataDir);
        daemon = ShoalDaemon.start(config);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ShoalDaemon.start(config.withSocket(DaemonTestSupport.socketPath())));
        assertTrue(e.getMessage().contains("another shoal daemon is using the data directory"), e.getMessage());
    }

    @Test
    void tooLongSocketPathIsRefused() {
        DaemonConfig config = DaemonTestSupport.config(dataDir).withSocket(Path.of("/tmp/" + "x".repeat(120) + ".sock"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ShoalDaemon.start(config));
        assertTrue(e.getMessage().startsWith("socket path too long"), e.getMessage());
        // and the data directory was released again
        daemon = ShoalDaemon.start(config.withSocket(DaemonTestSupport.socketPath()));
    }
}
