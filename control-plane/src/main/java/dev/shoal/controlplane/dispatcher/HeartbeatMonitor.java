package dev.shoal.controlplane.dispatcher;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.reconcile.Reconciler;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.Kind;
import dev.shoal.controlplane.store.StoreEvent;
import dev.shoal.controlplane.store.StoreView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Marks DOWN every node not heard from for {@link #MISSED_PERIODS} heartbeat periods (the swarm's
 * {@code Dispatcher.HeartbeatPeriod}, default 5 s), and wakes up at the next deadline.
 *
 * <p>When a node was last heard from is known to this leader only (it is not worth a Raft write per
 * heartbeat): a node this leader has not heard from yet counts from the moment the dispatcher
 * started, which gives every node of the swarm a full grace period after a leader change, as
 * swarmkit does. A node already DOWN stays so until its agent says hello again.
 */
final class HeartbeatMonitor implements Reconciler {
    /** Heartbeat periods a node may miss before it is DOWN (Docker's). */
    static final int MISSED_PERIODS = 3;

    private final ClusterStore store;
    private final Clock clock;
    private final Map<NodeId, Instant> lastSeen;
    private final Instant started;
    private final Consumer<NodeId> onDown;

    HeartbeatMonitor(ClusterStore store, Clock clock, Map<NodeId, Instant> lastSeen, Instant started, Consumer<NodeId> onDown) {
        this.store = store;
        this.clock = clock;
        this.lastSeen = lastSeen;
        this.started = started;
        this.onDown = onDown;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.NODE || e.kind() == Kind.SWARM;
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        long period = view.swarm() == null ? SwarmSpec.DEFAULT_HEARTBEAT_NANOS : view.swarm().spec().heartbeatPeriodNanos();
        List<Change> changes = new ArrayList<>();
        List<NodeId> down = new ArrayList<>();
        Instant wake = null;
        for (Node n : view.nodes().values()) {
            if (n.status() != null && n.status().state() == NodeStatus.State.DOWN) {
                continue;
            }
            Instant deadline = lastSeen.getOrDefault(n.id(), started).plusNanos(period * MISSED_PERIODS);
            if (deadline.isAfter(now)) {
                wake = wake == null || deadline.isBefore(wake) ? deadline : wake;
            } else {
                String addr = n.status() == null ? null : n.status().addr();
                changes.add(Change.update(n.withStatus(new NodeStatus(NodeStatus.State.DOWN, "heartbeat failure", addr), now)));
                down.add(n.id());
            }
        }
        return Commits.inBatches(store, changes)
                .then(Mono.fromRunnable(() -> down.forEach(onDown)))
                .then(Mono.justOrEmpty(wake));
    }
}
