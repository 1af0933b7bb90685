package dev.shoal.dataplane.executor;

import dev.shoal.api.id.TaskId;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The life cycle of one task's instance (a container or a process), after swarmkit's
 * {@code exec.Controller}. A controller is a handle: it holds no state of its own, so several
 * controllers of the same task see the same instance, and a new executor's controller finds the
 * instance a previous one created.
 *
 * <p>Every operation is idempotent where that makes sense (prepare on a prepared task, start on a
 * running one, remove on a removed one) so that the agent can repeat a step after a restart without
 * creating a duplicate. A task runs at most once: start on an exited instance fails.
 *
 * <p>Threading: as {@link Executor}; operations may be called from any thread, and the agent calls
 * at most one operation of a task at a time.
 */
public interface Controller {

    /** The task this controller drives. */
    TaskId taskId();

    /**
     * Creates the instance without starting it (Docker: create the container; process: check the
     * executable and record it). Never pulls an image.
     *
     * @return the created instance, or the existing one when the task was prepared before
     * @throws TaskRejectedException (as the error signal) when the task cannot run here, e.g.
     *                               {@code No such image: X} or a missing executable
     */
    Mono<Instance> prepare();

    /**
     * Starts the prepared instance.
     *
     * @return the instance as it is right after the start, with its pid; the running instance when
     *         it was started before
     * @throws TaskRejectedException (as the error signal) when the runtime refuses to start it
     */
    Mono<Instance> start();

    /**
     * Completes with the instance's exit: at once when it has exited, otherwise when it does.
     * Fails with {@link IllegalStateException} when there is no instance.
     */
    Mono<Exit> waitExit();

    /**
     * Stops the instance as {@code docker stop} does: SIGTERM, then SIGKILL once {@code grace}
     * has passed. Completes with the exit; empty when the instance was not running (never started,
     * already exited, or absent).
     */
    Mono<Exit> stop(Duration grace);

    /** Removes the instance (killing it if it still runs) and what it leaves on the node. */
    Mono<Void> remove();

    /** The instance as the runtime sees it now; empty when there is none. */
    Mono<Instance> inspect();
}
