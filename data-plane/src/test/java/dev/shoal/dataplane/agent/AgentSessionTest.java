package dev.shoal.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.dataplane.executor.ProcessExecutor;
import dev.shoal.dataplane.testing.Await;
import io.rsocket.RSocket;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** The session's faults, whatever the executor: an unreachable manager, a manager that talks nonsense. */
class AgentSessionTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final NodeDescription DESCRIPTION = new NodeDescription("test-node", null, null, null, null);

    @TempDir
    Path dataDir;
    final NodeId nodeId = NodeId.random();
    TestDispatcher dispatcher;
    ProcessExecutor executor;
    Agent agent;

    @BeforeEach
    void dispatcher() {
        dispatcher = new TestDispatcher(Duration.ofMillis(200));
        executor = new ProcessExecutor(nodeId, dataDir);
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        executor.close();
        dispatcher.close();
    }

    @Test
    void anUnreachableDispatcherIsRetriedWithBackoff() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<RSocket> flaky = Mono.defer(() -> attempts.incrementAndGet() <= 3
                ? Mono.error(new ConnectException("connection refused"))
                : dispatcher.connector());

        agent = Agent.start(new Agent.Config(nodeId, DESCRIPTION, Duration.ofMillis(20), Duration.ofMillis(200)), executor, flaky);
        dispatcher.assign(List.of());

        Await.until(TIMEOUT, agent::isConnected, () -> "connected after 3 refusals");
        assertEquals(4, attempts.get());
        assertEquals(1, dispatcher.sessionCount());
        assertEquals(List.of(), dispatcher.violations());
    }

    @Test
    void malformedAssignmentsEndTheSessionAndTheAgentReconnects() {
        agent = Agent.start(new Agent.Config(nodeId, DESCRIPTION, Duration.ofMillis(20), Duration.ofMillis(200)), executor, dispatcher.connector());
        dispatcher.assign(List.of());
        Await.until(TIMEOUT, agent::isConnected, () -> "connected");

        dispatcher.sendRaw("{\"HeartbeatPeriodNanos\":1,\"Tasks\":[],\"Bogus\":true}");

        Await.until(TIMEOUT, () -> dispatcher.sessionCount() == 2, () -> "a new session after the broken one");
        Await.until(TIMEOUT, agent::isConnected, () -> "connected again");
        assertEquals(List.of(), dispatcher.violations());
    }

    @Test
    void aGapInTheAssignmentSequenceEndsTheSessionAndTheNextOneStartsComplete() {
        agent = Agent.start(Agent.Config.of(nodeId, DESCRIPTION), executor, dispatcher.connector());
        dispatcher.assign(List.of());
        Await.until(TIMEOUT, agent::isConnected, () -> "connected");

        // message 2 follows the complete set (message 1): applied, the session goes on
        dispatcher.sendRaw("{\"HeartbeatPeriodNanos\":1000000000,\"Sequence\":2,\"Complete\":false,\"Tasks\":[],\"Removed\":[],\"Node\":null}");
        sleepQuietly(300);
        assertEquals(1, dispatcher.sessionCount(), "an in-sequence change keeps the session");

        // message 5 after message 2: changes 3 and 4 were lost on the way
        dispatcher.sendRaw("{\"HeartbeatPeriodNanos\":1000000000,\"Sequence\":5,\"Complete\":false,\"Tasks\":[],\"Removed\":[],\"Node\":null}");

        Await.until(TIMEOUT, () -> dispatcher.sessionCount() == 2, () -> "a new session after the gap");
        Await.until(TIMEOUT, agent::isConnected, () -> "connected again");
        assertEquals(List.of(), dispatcher.violations());
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closingTheAgentEndsItsSessionAndItStaysClosed() {
        agent = Agent.start(Agent.Config.of(nodeId, DESCRIPTION), executor, dispatcher.connector());
        dispatcher.assign(List.of());
        Await.until(TIMEOUT, agent::isConnected, () -> "connected");

        agent.close();
        agent.close();

        assertFalse(agent.isConnected());
        dispatcher.dropSession();
        assertEquals(1, dispatcher.sessionCount(), "a closed agent does not reconnect");
    }

    @Test
    void configRefusesBadReconnectDelays() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Agent.Config(nodeId, DESCRIPTION, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("invalid reconnectMax: PT1S: must be >= reconnectMin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Agent.Config(nodeId, DESCRIPTION, Duration.ZERO, Duration.ofSeconds(1)));
    }
}
