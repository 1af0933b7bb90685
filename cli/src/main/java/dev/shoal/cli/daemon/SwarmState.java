package dev.shoal.cli.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code DATA/swarm/state.json}: that this node is in a swarm and how it joined, so that a
 * restarted daemon rejoins on its own. Written atomically (temporary file, then rename) after a
 * successful {@code swarm init}; deleted with the whole {@code swarm/} directory on leave.
 *
 * @param swarmId       the swarm's id
 * @param role          {@code manager} (the only role until join exists)
 * @param listenAddr    where the manager listens for other nodes ({@code host:port})
 * @param advertiseAddr the address other nodes use for this manager
 * @param raftAddr      where this manager's Raft listens
 * @param joinedAt      when this node entered the swarm
 */
public record SwarmState(@JsonProperty("SwarmID") String swarmId, String role, String listenAddr, String advertiseAddr, String raftAddr, Instant joinedAt) {
    public static final String MANAGER = "manager";

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
            DataDir.writeAtomically(file, Json.writePretty(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
