package dev.shoal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.EventFilter;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.cli.command.CliContext;
import dev.shoal.cli.console.Output;
import dev.shoal.cli.daemon.DaemonConfig;
import dev.shoal.cli.daemon.DaemonTestSupport;
import dev.shoal.cli.daemon.ShoalDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * One node in this JVM, driven through the CLI (as a user types it) and through
 * {@link ShoalClient} on its control socket (for requests the CLI never sends). Tasks run on the
 * process executor ({@code sleep 300}); every test leaves the swarm with force at the end, which
 * stops them.
 */
class SwarmEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String IMAGE = "shoal-test/busybox";

    @TempDir
    Path dataDir;

    private ShoalDaemon daemon;

    record Run(int exit, String out, String err) {}

    @AfterEach
    void leaveAndStop() {
        if (daemon == null) {
            return;
        }
        if (daemon.inSwarm()) {
            try (ShoalClient client = client()) {
                client.swarmLeave(true).block(TIMEOUT); // stops this node's processes
            }
        }
        daemon.close();
    }

    private Run shoal(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.of(Output.to(new PrintWriter(out), new PrintWriter(err), false), Map.of())
                .withVerifyWindow(Duration.ofMillis(500))
                .withConvergeTimeout(TIMEOUT);
        String[] all = new String[args.length + 2];
        all[0] = "-H";
        all[1] = daemon.host();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(ShoalMain.execute(context, all), out.toString(), err.toString());
    }

    private Run shoalOk(String... args) {
        Run run = shoal(args);
        assertEquals(0, run.exit(), () -> String.join(" ", args) + " failed:\n" + run.err() + run.out());
        return run;
    }

    private ShoalClient client() {
        return ShoalClient.connectNow(daemon.host(), TIMEOUT);
    }

    private static List<Task> running(ShoalClient client, String service) {
        return client.taskList(new TaskFilter(service, null, List.of("running"))).collectList().block(TIMEOUT).stream()
                .filter(t -> t.status().state() == TaskState.RUNNING)
                .toList();
    }

    private static ProcessHandle process(Task t) {
        long pid = t.status().containerStatus().pid();
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid + " for task " + t.id()));
    }

    private static void awaitExit(ProcessHandle p) throws Exception {
        p.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits until {@code condition} holds, re-checking on every committed change and at least once a second. */
    private static void awaitCondition(ShoalClient client, String what, BooleanSupplier condition) throws InterruptedException {
        Semaphore wake = new Semaphore(0);
        Disposable events = client.events(EventFilter.ALL).subscribe(e -> wake.release(), e -> wake.release());
        try {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting until " + what);
                }
                wake.tryAcquire(1, TimeUnit.SECONDS);
            }
        } finally {
            events.dispose();
        }
    }

    @Test
    void serviceLifecycleThroughTheCli() throws Exception {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));

        Run init = shoalOk("swarm", "init", "--listen-addr", "127.0.0.1:0", "--advertise-addr", "127.0.0.1");
        assertTrue(init.out().startsWith("Swarm initialized: current node (" + daemon.nodeId() + ") is now a manager.\n\n"), init.out());
        assertTrue(init.out().contains("shoal swarm join --token SWMTKN-1-"), init.out());
        assertTrue(Files.exists(dataDir.resolve("swarm/state.json")));

        Run create = shoalOk("service", "create", "--name", "web", "--replicas", "2", IMAGE, "sleep", "300");
        assertTrue(create.out().contains("overall progress: 2 out of 2 tasks"), create.out());
        assertTrue(create.out().contains("2/2: running   [==================================================>]"), create.out());
        assertTrue(create.out().strip().endsWith("verify: Service converged"), create.out());
        assertFalse(create.out().contains("\u001b"), "no ANSI codes when stdout is not a terminal");

        List<String> ps = shoalOk("service", "ps", "web").out().strip().lines().toList();
        assertEquals(3, ps.size(), String.join("\n", ps));
        assertTrue(ps.get(0).startsWith("ID             NAME      IMAGE                NODE        DESIRED STATE   CURRENT STATE"), ps.get(0));
        assertTrue(ps.get(1).contains("web.1     shoal-test/busybox   test-node   Running         Running "), ps.get(1));

        try (ShoalClient client = client()) {
            List<Task> tasks = running(client, "web");
            assertEquals(2, tasks.size());
            tasks.forEach(t -> assertTrue(process(t).isAlive()));

            Run scale = shoalOk("service", "scale", "web=3");
            assertTrue(scale.out().startsWith("web scaled to 3"), scale.out());
            assertTrue(scale.out().strip().endsWith("verify: Service converged"), scale.out());
            assertTrue(shoalOk("service", "ls").out().contains("web       replicated   3/3        shoal-test/busybox"));

            // a bad flag value the daemon's validator explains; nothing is written
            Run negative = shoal("service", "create", "--name", "neg", "--replicas", "-1", IMAGE);
            assertEquals(1, negative.exit());
            assertEquals("Error response from daemon: invalid Mode.Replicated.Replicas: -1: must be >= 0", negative.err().strip());
            assertEquals(1, client.serviceList().collectList().block(TIMEOUT).size());

            List<ProcessHandle> three = running(client, "web").stream().map(SwarmEndToEndTest::process).toList();
            assertEquals(3, three.size());
            Run rm = shoalOk("service", "rm", "web");
            assertEquals("web", rm.out().strip());
            for (ProcessHandle p : three) {
                awaitExit(p);
            }
            assertTrue(client.serviceList().collectList().block(TIMEOUT).isEmpty());
        }

        Run leave = shoal("swarm", "leave");
        assertEquals(1, leave.exit());
        assertTrue(leave.err().startsWith("Error response from daemon: You are attempting to leave the swarm on a node that is participating as a manager."),
                leave.err());
        assertTrue(daemon.inSwarm());
        assertEquals("Node left the swarm.", shoalOk("swarm", "leave", "--force").out().strip());
        assertFalse(daemon.inSwarm());
        assertFalse(Files.exists(dataDir.resolve("swarm")));
    }

    @Test
    void badRequestsOnTheSocketAreRefusedAndChangeNothing() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        shoalOk("swarm", "init", "--listen-addr", "127.0.0.1:0", "--advertise-addr", "127.0.0.1");
        shoalOk("service", "create", "--detach", "--name", "web", IMAGE, "sleep", "300");
        try (ShoalClient client = client()) {
            long indexBefore = client.serviceInspect("web").block(TIMEOUT).version().index();

            ApiException malformed = assertThrows(ApiException.class, () -> client.callRaw(Routes.SERVICE_CREATE,
                    "{\"Name\": \"x\", \"TaskTemplate\": ".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT));
            assertEquals(ErrorCode.INVALID_ARGUMENT, malformed.code());
            assertTrue(malformed.getMessage().startsWith("malformed request: not valid JSON"), malformed.getMessage());

            ApiException unknownField = assertThrows(ApiException.class, () -> client.callRaw(Routes.SERVICE_CREATE,
                    "{\"Name\": \"x\", \"Replicas\": 3}".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT));
            assertEquals(ErrorCode.INVALID_ARGUMENT, unknownField.code());
            assertTrue(unknownField.getMessage().contains("unknown field \"Replicas\""), unknownField.getMessage());

            ApiException unknownRoute = assertThrows(ApiException.class,
                    () -> client.callRaw("service.explode", "{}".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT));
            assertEquals(ErrorCode.UNIMPLEMENTED, unknownRoute.code());
            assertTrue(unknownRoute.getMessage().contains("service.explode"), unknownRoute.getMessage());

            String big = "{\"Name\": \"big\", \"Labels\": {\"junk\": \"" + "x".repeat(Routes.MAX_REQUEST_BYTES + 1024) + "\"},"
                    + " \"TaskTemplate\": {\"ContainerSpec\": {\"Image\": \"" + IMAGE + "\"}}}";
            ApiException oversized = assertThrows(ApiException.class,
                    () -> client.callRaw(Routes.SERVICE_CREATE, big.getBytes(StandardCharsets.UTF_8)).block(TIMEOUT));
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, oversized.code());
            assertTrue(oversized.getMessage().contains("the limit is " + Routes.MAX_REQUEST_BYTES), oversized.getMessage());

            // nothing changed, and the connection still serves requests
            List<String> names = client.serviceList().map(s -> s.spec().name()).collectList().block(TIMEOUT);
            assertEquals(List.of("web"), names);
            assertEquals(indexBefore, client.serviceInspect("web").block(TIMEOUT).version().index());
            assertEquals("active", client.info().block(TIMEOUT).localNodeState());
        }
    }

    @Test
    void restartedDaemonRejoinsAndKeepsItsRunningTasks() throws Exception {
        DaemonConfig config = DaemonTestSupport.config(dataDir);
        daemon = ShoalDaemon.start(config);
        shoalOk("swarm", "init", "--listen-addr", "127.0.0.1:0", "--advertise-addr", "127.0.0.1");
        shoalOk("service", "create", "--name", "web", IMAGE, "sleep", "300");
        Task before;
        try (ShoalClient client = client()) {
            before = running(client, "web").getFirst();
        }
        ProcessHandle process = process(before);

        daemon.close();
        assertTrue(process.isAlive(), "tasks keep running while the daemon is down");

        daemon = ShoalDaemon.start(config);
        assertTrue(daemon.inSwarm(), "rejoined from swarm/state.json");
        try (ShoalClient client = client()) {
            awaitCondition(client, "the agent is back in session",
                    () -> client.nodeInspect("self").block(TIMEOUT).status().state() == NodeStatus.State.READY);
            List<Task> after = running(client, "web");
            assertEquals(List.of(before.id()), after.stream().map(Task::id).toList(), "the same task, not a replacement");
            assertTrue(process.isAlive());
        }

        shoalOk("swarm", "leave", "--force");
        awaitExit(process);
    }
}
