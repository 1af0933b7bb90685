package dev.shoal.dataplane.agent;

import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.Task;
import dev.shoal.dataplane.executor.Controller;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.executor.Exit;
import dev.shoal.dataplane.executor.Instance;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A real executor with its removals counted per task, to see that the agent does no work twice. */
final class CountingExecutor implements Executor {
    private final Executor delegate;
    private final Map<TaskId, AtomicInteger> removes = new ConcurrentHashMap<>();

    CountingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    int removes(TaskId task) {
        AtomicInteger n = removes.get(task);
        return n == null ? 0 : n.get();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Controller controller(Task task) {
        return counted(delegate.controller(task));
    }

    @Override
    public Controller controller(Instance instance) {
        return counted(delegate.controller(instance));
    }

    private Controller counted(Controller c) {
        return new Controller() {
            @Override
            public TaskId taskId() {
                return c.taskId();
            }

            @Override
            public Mono<Instance> prepare() {
                return c.prepare();
            }

            @Override
            public Mono<Instance> start() {
                return c.start();
            }

            @Override
            public Mono<Exit> waitExit() {
                return c.waitExit();
            }

            @Override
            public Mono<Exit> stop(Duration grace) {
                return c.stop(grace);
            }

            @Override
            public Mono<Void> remove() {
                return Mono.defer(() -> {
                    removes.computeIfAbsent(c.taskId(), k -> new AtomicInteger()).incrementAndGet();
                    return c.remove();
                });
            }

            @Override
            public Mono<Instance> inspect() {
                return c.inspect();
            }
        };
    }

    @Override
    public Flux<Instance> instances() {
        return delegate.instances();
    }

    @Override
    public Flux<Exit> exits() {
        return delegate.exits();
    }

    @Override
    public void close() {
        // the test closes the real executor itself
    }
}
