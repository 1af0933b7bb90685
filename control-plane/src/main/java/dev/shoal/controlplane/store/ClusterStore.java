package dev.shoal.controlplane.store;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The replicated cluster store: the single source of truth of a swarm.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #view()} returns the state after the last transaction applied on this member; it
 *       never blocks. On the leader that includes every acknowledged commit.</li>
 *   <li>{@link #commit(Transaction)} replicates a transaction through Raft and completes, after it
 *       has been applied locally, with the view right after it (so a caller can read its own
 *       write). Check failures complete with {@link dev.shoal.api.error.ApiException} (CONFLICT,
 *       NOT_FOUND, ALREADY_EXISTS) and write nothing; a member that is not the leader fails with
 *       UNAVAILABLE. Never blocks the caller's thread.</li>
 *   <li>{@link #watch()} is a hot stream of the events of every transaction applied after the
 *       subscription, in commit order, with no gaps; a slow subscriber is buffered, not dropped.</li>
 *   <li>{@link #leadership()} emits true when this member becomes leader and false when it stops
 *       being one (the current value first, on subscription).</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface ClusterStore extends AutoCloseable {
    StoreView view();

    Mono<StoreView> commit(Transaction tx);

    Flux<StoreEvent> watch();

    Flux<Boolean> leadership();

    boolean isLeader();

    /** Stops this member; the log and snapshots stay on disk for the next start. */
    @Override
    void close();
}
