package dev.shoal.controlplane;

import dev.shoal.api.model.Task;
import dev.shoal.controlplane.store.Kind;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.TestAgent;
import dev.shoal.controlplane.testing.TestManager;
import dev.shoal.controlplane.testing.TestStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

class ScratchLatencyTest {
    @Test
    void latency() {
        try (TestManager m = TestManager.startSwarm()) {
            TestAgent agent = m.agent("n1");
            agent.await("first", a -> true);
            for (int round = 0; round < 3; round++) {
                List<String> log = Collections.synchronizedList(new ArrayList<>());
                long start = System.nanoTime();
                Disposable d = m.store.store().watch().subscribe(e -> log.add(String.format("%6.1f ms idx %d %s %s %s", (System.nanoTime() - start) / 1e6, e.index(), e.kind(), e.action(),
                        e.after() instanceof Task t ? t.state() + "/" + t.desiredState() : "")));
                String name = "web" + round;
                m.client.serviceCreate(Fixtures.spec(name, 50)).block(TestStore.WAIT);
                log.add(String.format("%6.1f ms create returned", (System.nanoTime() - start) / 1e6));
                agent.await("50", a -> a.tasks().stream().filter(t -> t.serviceName().equals(name)).count() == 50);
                log.add(String.format("%6.1f ms agent has 50", (System.nanoTime() - start) / 1e6));
                d.dispose();
                String last = "";
                for (String s : new ArrayList<>(log)) {
                    String key = s.indexOf("idx") < 0 ? s : s.substring(s.indexOf("idx"));
                    if (!key.equals(last)) LoggerFactory.getLogger("latency").warn(s);
                    last = key;
                }
            }
        }
    }
}
