package dev.shoal.tests;

import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import java.util.List;

/** The service life cycle on the process executor: tasks as real child processes of the daemon. */
class ProcessServiceLifecycleTest extends ServiceLifecycleSuite {
    @Override
    String executor() {
        return "process";
    }

    @Override
    ContainerSpec longRunning() {
        return new ContainerSpec("process", List.of("/bin/sleep"), List.of("3600"), null, null, null, null);
    }

    @Override
    ContainerSpec exitingWith(int code) {
        return new ContainerSpec("process", List.of("/bin/sh"), List.of("-c", "exit " + code), null, null, null, null);
    }

    @Override
    ContainerSpec missingImage() {
        return new ContainerSpec("process", List.of("/nonexistent/shoal-missing-binary"), null, null, null, null, null);
    }

    @Override
    String missingImageReason() {
        return "/nonexistent/shoal-missing-binary";
    }

    @Override
    long aliveFromOutside(Service service, List<Task> everTasks) {
        return TestDaemons.pidsOf(everTasks).stream()
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .count();
    }

    @Override
    void killFromOutside(Task task) {
        long pid = task.status().containerStatus().pid();
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("task process " + pid + " is not alive")).destroyForcibly();
    }
}
