package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.model.SwarmSpec;

/**
 * Body of {@code swarm.init}.
 *
 * @param listenAddr      where managers listen for other nodes (default 0.0.0.0:2377)
 * @param advertiseAddr   the address other nodes use to reach this manager
 * @param spec            cluster settings; Docker's defaults when null
 * @param forceNewCluster on a manager that lost quorum: a new one-manager Raft group from this
 *                        manager's state, keeping services, tasks and workers
 * @param caCert          the operator's own root CA certificate (PEM); null to generate one
 * @param caKey           its private key (PEM), required with {@code caCert}
 */
public record SwarmInitRequest(String listenAddr, String advertiseAddr, SwarmSpec spec, boolean forceNewCluster,
                               @JsonProperty("CACert") String caCert, @JsonProperty("CAKey") String caKey) {
    public SwarmInitRequest(String listenAddr, String advertiseAddr, SwarmSpec spec) {
        this(listenAddr, advertiseAddr, spec, false, null, null);
    }
}
