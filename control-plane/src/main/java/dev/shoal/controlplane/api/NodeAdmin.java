package dev.shoal.controlplane.api;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.NodeRemoveRequest;
import dev.shoal.api.message.NodeUpdateRequest;
import dev.shoal.api.message.SwarmUpdateRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.ca.JoinToken;
import dev.shoal.ca.RootCa;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.RaftClusterStore;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * {@code node.update}, {@code node.remove} and {@code swarm.update}: the operator's changes to
 * nodes and to the swarm's settings and secrets. Every check runs before the single commit, which
 * is version-checked, so a refused request writes nothing.
 *
 * <p>A demotion is refused when the managers left could not keep quorum; the Raft group change
 * itself is made by the leader's membership reconciler ({@code Manager}), which hands leadership
 * over first when the leader is the one demoted.
 */
public final class NodeAdmin {
    private final ClusterStore store;
    private final Clock clock;
    private final RaftClusterStore raft; // null without a Raft group of several members (tests)
    private final SecureRandom random = new SecureRandom();

    public NodeAdmin(ClusterStore store, Clock clock, RaftClusterStore raft) {
        this.store = store;
        this.clock = clock;
        this.raft = raft;
    }

    public Mono<Node> update(NodeUpdateRequest request) {
        return Mono.defer(() -> {
            if (request.spec() == null) {
                throw ApiException.invalid("Spec", "null", "a node spec is required");
            }
            StoreView view = store.view();
            Node node = Lookup.find("node", request.id(), view.nodes().values(), n -> n.id().value(), NodeAdmin::nameOf);
            if (request.version() != node.version().index()) {
                throw new ApiException(ErrorCode.CONFLICT, "update out of sequence: node " + node.id()
                        + " is at version " + node.version().index() + ", the request was made from version " + request.version());
            }
            NodeSpec current = node.spec();
            NodeSpec given = request.spec();
            validateLabels(given.labels());
            NodeSpec next = new NodeSpec(given.name() == null ? current.name() : given.name(),
                    given.labels() == null ? Map.of() : given.labels(),
                    given.role() == null ? current.role() : given.role(),
                    given.availability() == null ? current.availability() : given.availability());
            if (current.role() == NodeSpec.Role.MANAGER && next.role() == NodeSpec.Role.WORKER) {
                checkDemotion(view, node);
            }
            Instant now = clock.instant();
            Node updated = new Node(node.id(), node.version(), node.createdAt(), now, next, node.description(), node.status(),
                    next.role() == NodeSpec.Role.MANAGER
                            ? (node.managerStatus() != null ? node.managerStatus()
                                    : new dev.shoal.api.model.ManagerStatus(false, "unknown", managerAddr(node)))
                            : null);
            return store.commit(Transaction.of(Change.update(updated))).map(after -> after.nodes().get(node.id()));
        });
    }

    private static String managerAddr(Node node) {
        String host = node.status() == null ? null : node.status().addr();
        return host == null ? null : host + ":2377";
    }

    /** Refuses a demotion that would leave the group without a reachable majority, or without managers. */
    private void checkDemotion(StoreView view, Node node) {
        List<Node> managers = view.nodes().values().stream().filter(n -> n.spec().role() == NodeSpec.Role.MANAGER).toList();
        if (managers.size() <= 1) {
            throw new ApiException(ErrorCode.FAILED_PRECONDITION, "cannot demote node " + node.id()
                    + ": it is the last manager of the swarm; promote another node first");
        }
        int remaining = managers.size() - 1;
        long reachable = managers.stream().filter(n -> !n.id().equals(node.id()))
                .filter(n -> n.isReady() || (raft != null && raft.memberId().equals(n.id().value())))
                .count();
        int quorum = remaining / 2 + 1;
        if (reachable < quorum) {
            throw new ApiException(ErrorCode.FAILED_PRECONDITION, "cannot demote node " + node.id() + ": the " + remaining
                    + " managers left would need " + quorum + " reachable for quorum, and only " + reachable + " are");
        }
    }

    private static void validateLabels(Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        for (String key : labels.keySet()) {
            if (key == null || key.isBlank()) {
                throw ApiException.invalid("Spec.Labels", "\"" + key + "\"", "a label key must not be empty");
            }
        }
    }

    public Mono<Map<String, String>> remove(NodeRemoveRequest request) {
        return Mono.defer(() -> {
            StoreView view = store.view();
            Node node = Lookup.find("node", request.id(), view.nodes().values(), n -> n.id().value(), NodeAdmin::nameOf);
            if (node.spec().role() == NodeSpec.Role.MANAGER) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "node " + node.id()
                        + " is a manager of the swarm and a member of the Raft group; demote it first (shoal node demote " + node.id() + ")");
            }
            boolean down = node.status() == null || node.status().state() == NodeStatus.State.DOWN
                    || node.status().state() == NodeStatus.State.UNKNOWN;
            if (!down && !request.force()) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "node " + node.id()
                        + " is not down and can't be removed; use --force to remove it anyway");
            }
            Swarm swarm = view.swarm();
            Instant now = clock.instant();
            return store.commit(Transaction.of(Change.delete(node), Change.update(swarm.withRemovedNode(node.id().value(), now))))
                    .thenReturn(Map.<String, String>of());
        });
    }

    public Mono<Swarm> updateSwarm(SwarmUpdateRequest request) {
        return Mono.defer(() -> {
            Swarm swarm = store.view().swarm();
            if (swarm == null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "this node is not part of a swarm");
            }
            if (request.version() != 0 && request.version() != swarm.version().index()) {
                throw new ApiException(ErrorCode.CONFLICT, "update out of sequence: the swarm is at version "
                        + swarm.version().index() + ", the request was made from version " + request.version());
            }
            SwarmSpec spec = request.spec() == null ? swarm.spec() : SwarmSpecs.withDefaults(merge(swarm.spec(), request.spec()));
            SwarmSpecs.validate(spec);
            Instant now = clock.instant();
            Swarm next = swarm.withSpec(spec, now);
            if (request.rotateCa()) {
                next = rotateCa(next, now);
            } else if (request.rotateWorkerToken() || request.rotateManagerToken()) {
                next = rotateTokens(next, request.rotateWorkerToken(), request.rotateManagerToken(), now);
            }
            return store.commit(Transaction.of(Change.update(next))).map(after -> after.swarm().forClients());
        });
    }

    private static SwarmSpec merge(SwarmSpec current, SwarmSpec given) {
        return new SwarmSpec(given.name() != null ? given.name() : current.name(),
                given.orchestration() != null ? given.orchestration() : current.orchestration(),
                given.dispatcher() != null ? given.dispatcher() : current.dispatcher(),
                given.caConfig() != null ? given.caConfig() : current.caConfig());
    }

    private Swarm rotateTokens(Swarm swarm, boolean worker, boolean manager, Instant now) {
        RootCa ca = RootCa.fromPem(swarm.rootCa().caCert(), swarm.rootCa().caKey());
        Swarm.JoinTokens t = swarm.joinTokens();
        return swarm.withJoinTokens(new Swarm.JoinTokens(
                worker ? JoinToken.generate(ca, random).toString() : t.worker(),
                manager ? JoinToken.generate(ca, random).toString() : t.manager()), now);
    }

    /**
     * A new root: it signs from now on; the old root stays trusted (in {@code TLSInfo}) until every
     * node has renewed, so no link drops; both join tokens are replaced, as their CA digest changed.
     */
    private Swarm rotateCa(Swarm swarm, Instant now) {
        RootCa fresh = RootCa.generate(clock);
        List<String> previous = new java.util.ArrayList<>(swarm.rootCa().previousCaCerts());
        previous.add(swarm.rootCa().caCert());
        Swarm.RootCa root = new Swarm.RootCa(fresh.certificatePem(), fresh.privateKeyPem(), previous);
        String trust = fresh.certificatePem() + String.join("", previous);
        Swarm.JoinTokens tokens = new Swarm.JoinTokens(JoinToken.generate(fresh, random).toString(), JoinToken.generate(fresh, random).toString());
        return swarm.withRootCa(root, new Swarm.TlsInfo(trust), tokens, now);
    }

    private static String nameOf(Node n) {
        if (n.spec() != null && n.spec().name() != null && !n.spec().name().isEmpty()) {
            return n.spec().name();
        }
        return n.description() == null ? null : n.description().hostname();
    }
}
