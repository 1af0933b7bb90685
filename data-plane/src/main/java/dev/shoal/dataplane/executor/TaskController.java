package dev.shoal.dataplane.executor;

import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.Task;

/**
 * What every executor's controller knows of its task: the id, the instance name, and the task
 * itself, which is null for an instance adopted without it (that one can be stopped and removed,
 * not prepared or started).
 */
abstract class TaskController implements Controller {
    protected final TaskId taskId;
    protected final String name;
    private final Task task;
    private final String kind;

    /** @param kind what an instance is called on this runtime ("container", "process"), for errors */
    TaskController(TaskId taskId, String name, Task task, String kind) {
        this.taskId = taskId;
        this.name = name;
        this.task = task;
        this.kind = kind;
    }

    @Override
    public final TaskId taskId() {
        return taskId;
    }

    /** The task; fails for an instance adopted without it. */
    protected final Task requireTask() {
        if (task == null) {
            throw new IllegalStateException(kind + " " + name + " was adopted without its task: it can be stopped and removed, not prepared or started");
        }
        return task;
    }
}
