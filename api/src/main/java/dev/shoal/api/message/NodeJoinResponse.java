package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the CA answers a node that joined.
 *
 * @param nodeId      the id the CA gave the node (its certificate's CN)
 * @param role        {@code manager} or {@code worker}
 * @param certificate the node's certificate, PEM
 * @param rootCas     the roots to trust, PEM
 * @param managers    the managers of the swarm, to dial and, for a new manager, to join in Raft
 */
public record NodeJoinResponse(@JsonProperty("NodeID") String nodeId, @JsonProperty("SwarmID") String swarmId, String role,
                               String certificate, @JsonProperty("RootCAs") String rootCas, List<ManagerAddress> managers) {
    public NodeJoinResponse {
        managers = managers == null ? List.of() : List.copyOf(managers);
    }
}
