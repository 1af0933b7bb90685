package dev.shoal.dataplane.executor;

import dev.shoal.api.id.TaskId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An executor's exit stream, and the two waits built on it that both executors share: waiting for
 * one task's exit, and {@code docker stop}'s SIGTERM, grace period, SIGKILL.
 *
 * <p>Exits are observed on several threads (Docker's event stream, the reconcile tick, process
 * reapers), so emission is serialized here.
 */
final class ExitSignals {
    /** How long an instance may take to die after SIGKILL before a stop is reported as failed. */
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final Sinks.Many<Exit> sink = Sinks.many().multicast().directBestEffort();

    Flux<Exit> flux() {
        return sink.asFlux();
    }

    synchronized void emit(Exit exit) {
        // FAIL_ZERO_SUBSCRIBER and a slow subscriber are not errors: the stream is hot by contract.
        sink.tryEmitNext(exit);
    }

    synchronized void complete() {
        sink.tryEmitComplete();
    }

    /**
     * The exit of {@code taskId}'s instance: listens to the live stream first, then inspects, so an
     * exit between the two is not missed.
     */
    Mono<Exit> await(TaskId taskId, Mono<Instance> inspect) {
        return Mono.create(result -> {
            var live = flux().filter(e -> e.taskId().equals(taskId)).next()
                    .subscribe(result::success, result::error);
            var now = inspect
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("no instance of task " + taskId + " on this node")))
                    .subscribe(i -> {
                        if (i.state() == Instance.State.EXITED) {
                            result.success(i.exit());
                        }
                    }, result::error);
            result.onDispose(() -> {
                live.dispose();
                now.dispose();
            });
        });
    }

    /**
     * Stops a running instance: {@code term}, then {@code kill} once {@code grace} has passed
     * without an exit. Empty when the instance is not running.
     */
    Mono<Exit> stop(TaskId taskId, Mono<Instance> inspect, Duration grace, Mono<Void> term, Mono<Void> kill) {
        return inspect.filter(Instance::isRunning).flatMap(running -> {
            CompletableFuture<Exit> exited = await(taskId, inspect).toFuture();
            // suppressCancel: the grace timeout cancels the first wait, the same future serves the second
            Mono<Exit> exit = Mono.fromFuture(exited, true);
            return term
                    .then(exit.timeout(grace, Mono.defer(() -> kill.then(exit.timeout(KILL_TIMEOUT,
                            Mono.error(() -> new TimeoutException("task " + taskId + " did not exit within "
                                    + KILL_TIMEOUT.toSeconds() + " s of SIGKILL")))))))
                    .doFinally(s -> exited.cancel(false));
        });
    }
}
