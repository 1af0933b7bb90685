package dev.shoal.dataplane.executor;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.Task;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Flux;

/**
 * Runs the tasks of one node on a runtime: Docker containers ({@link DockerExecutor}) or plain
 * child processes ({@link ProcessExecutor}). The agent drives each task through a
 * {@link Controller}; the executor keeps no desired state of its own and never restarts anything.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>An executor belongs to one node: it lists, watches and reports only the instances it
 *       labelled (or recorded) with that node's id, so several nodes may share one Docker daemon.</li>
 *   <li>An instance is named {@link Task#containerName()} and knows its task id; there is at most
 *       one instance per task, and preparing a task whose instance exists returns that instance.</li>
 *   <li>{@link #exits()} emits one {@link Exit} for every run this executor watches: runs it
 *       started, and running instances it saw through {@link #instances()} or
 *       {@link Controller#inspect()}. An exit that the runtime reports is seen within a second
 *       (events or child-process notification), with a periodic reconcile as a safety net.</li>
 *   <li>{@link #close()} releases the executor's threads and connections only; running instances
 *       keep running so that the next executor on this node can adopt them.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Every method returns at once and is safe to call from any thread, including an event loop:
 * blocking runtime calls run on the executor's own bounded elastic scheduler, and the returned
 * publishers signal on that scheduler (or on the thread that observed an exit). Callers must not
 * block in their subscribers.
 */
public interface Executor extends AutoCloseable {

    /** Docker's stop grace period, used for an instance whose own grace period is not known. */
    Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    /** {@code "docker"} or {@code "process"}, as a node reports it in its description. */
    String name();

    /** A controller for an assigned task; cheap, does no I/O. */
    Controller controller(Task task);

    /**
     * A controller for an instance found on the node whose task is not (or not yet) known, e.g. one
     * left from before a restart. It can inspect, wait for, stop and remove the instance; it has no
     * spec, so {@link Controller#prepare()} and {@link Controller#start()} fail.
     */
    Controller controller(Instance instance);

    /**
     * Every instance of this node that the runtime still has, in any state, for re-adoption after a
     * restart. Running instances are watched from now on: their exits appear on {@link #exits()}.
     */
    Flux<Instance> instances();

    /** Hot stream of exits of watched instances; subscribers see the exits after they subscribe. */
    Flux<Exit> exits();

    /** Releases the executor; instances keep running. Idempotent. */
    @Override
    void close();

    /**
     * Docker when a daemon answers at {@code DOCKER_HOST} (default {@value DockerExecutor#DEFAULT_DOCKER_HOST})
     * within a second, otherwise the embedded process executor keeping its state under
     * {@code dataDir}.
     */
    static Executor detect(NodeId nodeId, Path dataDir) {
        String host = DockerExecutor.dockerHostFromEnvironment();
        if (DockerExecutor.reachable(host, Duration.ofSeconds(1))) {
            return DockerExecutor.create(nodeId, host);
        }
        return new ProcessExecutor(nodeId, dataDir);
    }
}
