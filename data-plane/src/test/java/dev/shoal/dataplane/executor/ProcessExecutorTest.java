package dev.shoal.dataplane.executor;

import static dev.shoal.dataplane.testing.TestTasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Task;
import dev.shoal.dataplane.testing.Await;
import dev.shoal.dataplane.testing.TestTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor suite on child processes, plus what only processes have (sessions, logs, the state file). */
class ProcessExecutorTest extends ExecutorSuite {
    @TempDir
    Path dataDir;

    @Override
    protected Executor newExecutor() {
        return new ProcessExecutor(nodeId, dataDir);
    }

    @Override
    protected ContainerSpec unrunnableSpec() {
        return new ContainerSpec(TestTasks.IMAGE, List.of("shoal-no-such-executable"), List.of("x"), null, null, null, null);
    }

    @Override
    protected String expectedRejection() {
        return "exec: \"shoal-no-such-executable\": executable file not found in $PATH";
    }

    @Override
    protected String workingDir() {
        return dataDir.toString();
    }

    @Override
    protected boolean knowsExitCodeOfAdopted() {
        return false;
    }

    /** Kills what is left of every task this test recorded: each task is a session led by its pid. */
    @Override
    protected void cleanUp() {
        try (ProcessExecutor last = new ProcessExecutor(nodeId, dataDir)) {
            for (Instance i : last.instances().collectList().block(TIMEOUT)) {
                last.controller(i).remove().block(TIMEOUT);
            }
        }
    }

    @Test
    void aTaskRunsInASessionOfItsOwnAndOutputGoesToItsLog() {
        Task task = task(shell("echo out; echo err >&2; " + TestTasks.LONG_RUNNING));
        Controller c = executor.controller(task);
        await(c.prepare());
        Instance running = await(c.start());

        Await.until(TIMEOUT, () -> {
            ProcStat s = ProcStat.read(running.pid());
            return s != null && s.session() == running.pid() && s.processGroup() == running.pid();
        }, () -> "pid " + running.pid() + " leads its own session and process group (setsid), so it outlives the daemon");
        Path log = ((ProcessExecutor) executor).logFile(task.id());
        Await.until(TIMEOUT, () -> read(log).contains("out\nerr\n"), () -> "stdout and stderr in " + log + ": " + read(log));
        assertEquals("pid:" + running.pid(), running.id());
    }

    @Test
    void stopKillsEveryProcessOfTheTaskAfterTheGracePeriod() throws IOException {
        Path pidFile = dataDir.resolve("child.pid");
        Task task = task(shell("sleep 300 & echo $! > " + pidFile + "; trap '' TERM; wait"));
        Controller c = executor.controller(task);
        await(c.prepare());
        await(c.start());
        Await.until(TIMEOUT, () -> read(pidFile).strip().matches("\\d+"), () -> "the task wrote its child's pid");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));

        await(c.stop(Duration.ofMillis(200)));

        Await.until(TIMEOUT, () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true),
                () -> "the task's background child " + child + " was killed with it");
    }

    @Test
    void aProcessThatDiedWhileTheDaemonWasDownHasAnUnknownExitAndLeavesNothingBehind() throws IOException {
        Path pidFile = dataDir.resolve("child.pid");
        Task task = task(shell("sleep 300 & echo $! > " + pidFile + "; wait"));
        Controller c = executor.controller(task);
        await(c.prepare());
        Instance running = await(c.start());
        Await.until(TIMEOUT, () -> read(pidFile).strip().matches("\\d+"), () -> "the task wrote its child's pid");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        executor.close();
        ProcessHandle.of(running.pid()).orElseThrow().destroyForcibly(); // the main process dies, its child lives on
        Await.until(TIMEOUT, () -> ProcessHandle.of(running.pid()).map(h -> !h.isAlive()).orElse(true), () -> "killed");

        Executor next = open();
        Instance found = next.instances().filter(i -> i.taskId().equals(task.id())).blockFirst(TIMEOUT);

        assertEquals(Instance.State.EXITED, found.state());
        assertEquals(null, found.exit().exitCode());
        assertEquals(ProcessExecutor.EXITED_WHILE_DOWN, found.exit().error());
        Await.until(TIMEOUT, () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true),
                () -> "the orphaned child " + child + " of the dead task was killed");
    }

    @Test
    void oneExecutorAtATimeOwnsADataDirectory() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ProcessExecutor(nodeId, dataDir));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    @Test
    void aMissingWorkingDirectoryIsRejected() {
        var spec = new ContainerSpec(TestTasks.IMAGE, List.of("true"), null, null, null, "/nonexistent/dir", null);
        var error = assertThrows(TaskRejectedException.class, () -> await(executor.controller(task(spec)).prepare()));
        assertEquals("invalid ContainerSpec.Dir: /nonexistent/dir: no such directory", error.getMessage());
    }

    @Test
    void aSpecWithoutCommandOrArgsIsRejected() {
        var spec = ContainerSpec.of(TestTasks.IMAGE);
        var error = assertThrows(TaskRejectedException.class, () -> await(executor.controller(task(spec)).prepare()));
        assertTrue(error.getMessage().contains("Command + Args"), error.getMessage());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return Optional.ofNullable(e.getMessage()).orElse("");
        }
    }
}
