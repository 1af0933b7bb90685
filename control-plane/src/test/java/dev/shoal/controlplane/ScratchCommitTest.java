package dev.shoal.controlplane;

import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.TestStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ScratchCommitTest {
    @Test
    void commitLatency() {
        try (TestStore s = TestStore.start()) {
            Instant now = Instant.now();
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                s.commit(Change.create(Fixtures.readyNode("n" + round, now)));
                long t1 = System.nanoTime();
                Service svc = Fixtures.service(Fixtures.spec("web" + round, 50), now);
                List<Change> cs = new ArrayList<>(List.of(Change.create(svc)));
                for (int i = 1; i <= 50; i++) cs.add(Change.create(Fixtures.task(svc, i, TaskState.NEW, TaskState.RUNNING, null, now)));
                s.commit(cs);
                long t2 = System.nanoTime();
                LoggerFactory.getLogger("commit").warn("small commit {} ms, 51-object commit {} ms", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            }
        }
    }
}
