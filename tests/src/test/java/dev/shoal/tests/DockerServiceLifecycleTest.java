package dev.shoal.tests;

import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import java.util.List;

/** The service life cycle on the Docker executor: real containers through the local dockerd. */
class DockerServiceLifecycleTest extends ServiceLifecycleSuite {
    @Override
    String executor() {
        return "docker";
    }

    @Override
    ContainerSpec longRunning() {
        // busybox sh as PID 1 ignores SIGTERM unless trapped: trap it so stops take milliseconds.
        return new ContainerSpec(DockerCli.TEST_IMAGE, null,
                List.of("sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"), null, null, null, null);
    }

    @Override
    ContainerSpec exitingWith(int code) {
        return new ContainerSpec(DockerCli.TEST_IMAGE, null, List.of("sh", "-c", "exit " + code), null, null, null, null);
    }

    @Override
    ContainerSpec missingImage() {
        return ContainerSpec.of("shoal-test/no-such-image:latest");
    }

    @Override
    String missingImageReason() {
        return "No such image";
    }

    @Override
    long aliveFromOutside(Service service, List<Task> everTasks) {
        return DockerCli.runningContainersOfService(service.id().value()).size();
    }

    @Override
    void killFromOutside(Task task) {
        DockerCli.kill(task.status().containerStatus().containerId());
    }
}
