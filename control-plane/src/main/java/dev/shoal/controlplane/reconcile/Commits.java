package dev.shoal.controlplane.reconcile;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Writing to the store the way every leader service does: in batches, retrying stale writes. */
public final class Commits {
    /**
     * Changes per transaction. One Raft entry per batch keeps a 50-replica service at one commit
     * per stage, while a very large change set does not become a single huge log entry.
     */
    public static final int MAX_BATCH = 256;

    /** Attempts of a write computed from a fresh view before a stale-write error is given up. */
    public static final int MAX_STALE_RETRIES = 16;

    private Commits() {}

    /**
     * True when {@code e} means the write was computed from a view that someone else's commit has
     * made stale: CONFLICT, NOT_FOUND or ALREADY_EXISTS. Re-reading the view and trying again fixes it.
     */
    public static boolean isStale(Throwable e) {
        return e instanceof ApiException a
                && (a.code() == ErrorCode.CONFLICT || a.code() == ErrorCode.NOT_FOUND || a.code() == ErrorCode.ALREADY_EXISTS);
    }

    /** Commits {@code changes} in order, {@link #MAX_BATCH} per transaction; nothing when empty. */
    public static Mono<Void> inBatches(ClusterStore store, List<Change> changes) {
        if (changes.isEmpty()) {
            return Mono.empty();
        }
        int batches = (changes.size() + MAX_BATCH - 1) / MAX_BATCH;
        return Flux.range(0, batches)
                .concatMap(i -> store.commit(new Transaction(
                        changes.subList(i * MAX_BATCH, Math.min(changes.size(), (i + 1) * MAX_BATCH)))))
                .then();
    }

    /**
     * Computes a transaction from the current view and commits it; when the commit is stale,
     * computes it again from the newer view. {@code compute} returns an empty list when there is
     * nothing to write, and may throw an {@link ApiException} to refuse (that error is not retried).
     *
     * @return the view right after the commit, or the view the decision was made on when nothing
     *         was written
     */
    public static Mono<StoreView> withRetry(ClusterStore store, Function<StoreView, List<Change>> compute) {
        return Mono.defer(() -> {
                    StoreView view = store.view();
                    List<Change> changes = compute.apply(view);
                    if (changes.isEmpty()) {
                        return Mono.just(view);
                    }
                    return store.commit(new Transaction(changes)).onErrorMap(Commits::isStale, StaleWrite::new);
                })
                .retryWhen(Retry.max(MAX_STALE_RETRIES).filter(StaleWrite.class::isInstance))
                .onErrorMap(e -> e instanceof StaleWrite || (e.getCause() instanceof StaleWrite),
                        e -> (e instanceof StaleWrite ? e : e.getCause()).getCause());
    }

    /** A stale commit inside {@link #withRetry}, told apart from a refusal by {@code compute}. */
    private static final class StaleWrite extends RuntimeException {
        StaleWrite(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
