package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The swarm itself. Exactly one exists once {@code swarm init} has run.
 *
 * @param joinTokens   the current worker and manager join tokens ({@code SWMTKN-1-<CA digest>-<secret>})
 * @param tlsInfo      the roots every node trusts (more than one while a CA rotation is under way)
 * @param rootCa       the signing CA with its private key; kept in the Raft store so that any
 *                     manager can issue certificates, and never sent to a client ({@link #forClients()})
 * @param removedNodes the ids of nodes removed from the swarm, whose certificates are refused from then on
 */
public record Swarm(
        @JsonProperty("ID") String id,
        Version version,
        Instant createdAt,
        Instant updatedAt,
        SwarmSpec spec,
        JoinTokens joinTokens,
        @JsonProperty("TLSInfo") TlsInfo tlsInfo,
        @JsonProperty("RootCA") RootCa rootCa,
        List<String> removedNodes) {

    /** Docker's {@code JoinTokens}. */
    public record JoinTokens(String worker, String manager) {}

    /** Docker's {@code TLSInfo}: the PEM of every trusted root. */
    public record TlsInfo(String trustRoot) {}

    /**
     * The signing root (PEM certificate and PKCS#8 key) and, during a rotation, the previous roots
     * still trusted until every node holds a certificate from the new one.
     */
    public record RootCa(@JsonProperty("CACert") String caCert, @JsonProperty("CAKey") String caKey,
                         @JsonProperty("PreviousCACerts") List<String> previousCaCerts) {
        public RootCa {
            previousCaCerts = previousCaCerts == null ? List.of() : List.copyOf(previousCaCerts);
        }
    }

    public Swarm {
        removedNodes = removedNodes == null ? List.of() : List.copyOf(removedNodes);
    }

    /** A swarm without security material: the shape of tests and of a swarm before its CA exists. */
    public Swarm(String id, Version version, Instant createdAt, Instant updatedAt, SwarmSpec spec) {
        this(id, version, createdAt, updatedAt, spec, null, null, null, List.of());
    }

    public Swarm withVersion(Version v) {
        return new Swarm(id, v, createdAt, updatedAt, spec, joinTokens, tlsInfo, rootCa, removedNodes);
    }

    public Swarm withSpec(SwarmSpec s, Instant now) {
        return new Swarm(id, version, createdAt, now, s, joinTokens, tlsInfo, rootCa, removedNodes);
    }

    public Swarm withJoinTokens(JoinTokens t, Instant now) {
        return new Swarm(id, version, createdAt, now, spec, t, tlsInfo, rootCa, removedNodes);
    }

    public Swarm withRootCa(RootCa ca, TlsInfo tls, JoinTokens t, Instant now) {
        return new Swarm(id, version, createdAt, now, spec, t, tls, ca, removedNodes);
    }

    public Swarm withRemovedNode(String nodeId, Instant now) {
        List<String> removed = new java.util.ArrayList<>(removedNodes);
        if (!removed.contains(nodeId)) {
            removed.add(nodeId);
        }
        return new Swarm(id, version, createdAt, now, spec, joinTokens, tlsInfo, rootCa, removed);
    }

    /** The swarm as the API shows it: without the CA's private key. */
    public Swarm forClients() {
        RootCa ca = rootCa == null ? null : new RootCa(rootCa.caCert(), null, rootCa.previousCaCerts());
        return new Swarm(id, version, createdAt, updatedAt, spec, joinTokens, tlsInfo, ca, removedNodes);
    }
}
