package dev.shoal.controlplane.store;

import dev.shoal.api.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * A manual measurement, not a test: start → leader, commit latency one at a time, single-change
 * commits per second with many in flight, and close time, on a real single-member store.
 * Run with the test classpath: {@code java ... dev.shoal.controlplane.store.CommitThroughputProbe
 * [commits] [inFlight] [LOCAL_SERVER|RAFT_CLIENT]}; the figures are logged at INFO by this class's logger.
 */
public final class CommitThroughputProbe {
    private static final Logger LOG = LoggerFactory.getLogger(CommitThroughputProbe.class);

    private CommitThroughputProbe() {}

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        StoreTuning.CommitPath path = args.length > 2 ? StoreTuning.CommitPath.valueOf(args[2]) : StoreTuning.CommitPath.LOCAL_SERVER;
        Path dir = Files.createTempDirectory("shoal-store-probe");
        try {
            for (int round = 1; round <= 3; round++) {
                run(dir.resolve("round-" + round), commits, inFlight, path, round);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int commits, int inFlight, StoreTuning.CommitPath path, int round) {
        long t0 = System.nanoTime();
        RaftClusterStore store = RaftClusterStore.startNow(Fixtures.config("probe", dir), StoreTuning.DEFAULTS.withCommitPath(path));
        long started = System.nanoTime();
        store.awaitLeader(Duration.ofSeconds(10)).block();
        long leader = System.nanoTime();

        try {
            measure(store, commits, inFlight, path, round, t0, started, leader);
        } finally {
            store.close();
        }
    }

    private static void measure(RaftClusterStore store, int commits, int inFlight, StoreTuning.CommitPath path, int round,
                                long t0, long started, long leader) {
        Service web = Fixtures.service("web");
        store.commit(Transaction.of(Change.create(web))).block();
        int sequential = 200;
        long s0 = System.nanoTime();
        Flux.range(1, sequential)
                .concatMap(slot -> store.commit(Transaction.of(Change.create(Fixtures.task(web, slot)))))
                .blockLast();
        long s1 = System.nanoTime();

        // tasks are made before timing: random ids come from SecureRandom, which is not what we measure
        List<Transaction> txs = new ArrayList<>(commits);
        for (int slot = sequential + 1; slot <= sequential + commits; slot++) {
            txs.add(Transaction.of(Change.create(Fixtures.task(web, slot))));
        }
        long p0 = System.nanoTime();
        long[] window = {p0};
        Flux.fromIterable(txs)
                .flatMap(store::commit, inFlight)
                .index()
                .doOnNext(i -> {
                    if ((i.getT1() + 1) % 5000 == 0) {
                        long now = System.nanoTime();
                        LOG.info("  {} commits, last 5000 at {} commits/s", i.getT1() + 1, Math.round(5000 / ((now - window[0]) / 1e9)));
                        window[0] = now;
                    }
                })
                .blockLast();
        long p1 = System.nanoTime();

        long c0 = System.nanoTime();
        store.close();
        long c1 = System.nanoTime();

        LOG.info("round {} ({}): startNow {} ms, start -> leader {} ms, sequential commit {} ms each, "
                        + "{} single-change commits with {} in flight: {} commits/s ({} tasks in the view at the end), close {} ms",
                round, path, ms(started - t0), ms(leader - t0), String.format("%.2f", (s1 - s0) / 1e6 / sequential),
                commits, inFlight, Math.round(commits / ((p1 - p0) / 1e9)), store.view().tasks().size(), ms(c1 - c0));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
