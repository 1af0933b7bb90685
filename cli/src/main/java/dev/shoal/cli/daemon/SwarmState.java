package dev.shoal.cli.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code DATA/swarm/state.json}: that this node is in a swarm and how it joined, so that a
 * restarted daemon rejoins on its own. Written atomically (temporary file, then rename) after a
 * successful {@code swarm init} or {@code swarm join}; deleted with the whole {@code swarm/}
 * directory on leave. The node's key and certificates are in {@code swarm/certificates}.
 *
 * @param swarmId       the swarm's id
 * @param role          {@code manager} or {@code worker}
 * @param listenAddr    where the manager listens for other nodes ({@code host:port})
 * @param advertiseAddr the address other nodes use for this node
 * @param raftAddr      where this manager's Raft listens
 * @param joinedAt      when this node entered the swarm
 * @param managers      the managers' API addresses a worker dials (a manager reads them from its store)
 */
public record SwarmState(@JsonProperty("SwarmID") String swarmId, String role, String listenAddr, String advertiseAddr, String raftAddr,
                         Instant joinedAt, List<String> managers) {
    public static final String MANAGER = "manager";
    public static final String WORKER = "worker";

    public SwarmState {
        managers = managers == null ? List.of() : List.copyOf(managers);
    }

    /** The state in {@code file}, or null when the file does not exist. */
    static SwarmState read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Json.read(Files.readAllBytes(file), SwarmState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage()
                    + " (move the swarm directory away to start outside the swarm)", e);
        }
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            DataDir.writeAtomically(file, Json.writePretty(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    boolean isManager() {
        return MANAGER.equals(role);
    }
}
