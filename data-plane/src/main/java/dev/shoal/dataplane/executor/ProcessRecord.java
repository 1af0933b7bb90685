package dev.shoal.dataplane.executor;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the process executor remembers of one task across daemon restarts, in its state file. The
 * pid and the process start time together identify a process: a pid alone may have been reused.
 * The environment is not recorded (it may hold secrets); a restart takes it from the task again.
 *
 * @param ownGroup true when the process was started through {@code setsid} and so leads a process
 *                 group (and session) of its own, which holds the whole task
 */
record ProcessRecord(
        TaskId taskId,
        String name,
        ServiceId serviceId,
        String serviceName,
        NodeId nodeId,
        String image,
        List<String> argv,
        String dir,
        long stopGracePeriod,
        Instance.State state,
        long pid,
        Instant startedAt,
        boolean ownGroup,
        Integer exitCode,
        Instant finishedAt,
        String error) {

    ProcessRecord {
        argv = List.copyOf(argv);
    }

    ProcessRecord running(long newPid, Instant start, boolean leadsGroup) {
        return new ProcessRecord(taskId, name, serviceId, serviceName, nodeId, image, argv, dir, stopGracePeriod,
                Instance.State.RUNNING, newPid, start, leadsGroup, null, null, null);
    }

    ProcessRecord exited(Integer code, Instant at, String why) {
        return new ProcessRecord(taskId, name, serviceId, serviceName, nodeId, image, argv, dir, stopGracePeriod,
                Instance.State.EXITED, pid, startedAt, ownGroup, code, at, why);
    }

    String instanceId() {
        return pid > 0 ? "pid:" + pid : null;
    }

    Instance instance() {
        Exit exit = state == Instance.State.EXITED
                ? new Exit(taskId, instanceId(), exitCode, false, finishedAt == null ? Instant.EPOCH : finishedAt, error)
                : null;
        return new Instance(taskId, name, instanceId(), state, state == Instance.State.RUNNING ? pid : 0, startedAt,
                Duration.ofNanos(stopGracePeriod), exit);
    }

    /** The state file: every task instance of the node, newest state. */
    record StateFile(List<ProcessRecord> tasks) {
        StateFile {
            tasks = List.copyOf(tasks);
        }
    }
}
