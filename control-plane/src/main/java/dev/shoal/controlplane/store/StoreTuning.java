package dev.shoal.controlplane.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of a {@link RaftClusterStore} that are not part of a member's identity: Raft timeouts,
 * snapshot policy, log segment size, how many commits may be in flight. Immutable; the "with"
 * methods return changed copies. Tests use them to force early snapshots; production uses
 * {@link #DEFAULTS}.
 *
 * @param electionTimeoutMin     lower bound of the randomised election timeout (Ratis
 *                               {@code raft.server.rpc.timeout.min}); default 300 ms
 * @param electionTimeoutMax     upper bound (Ratis {@code raft.server.rpc.timeout.max}); default 600 ms
 * @param firstElectionTimeout   how long a member waits after start before its first election;
 *                               default 100 ms, so that a single member leads about 0.2 s after start
 * @param requestTimeout         how long a commit waits for its reply from Raft; default 10 s
 * @param snapshotThreshold      applied log entries between automatic snapshots; default 10 000
 * @param snapshotOnStop         take a snapshot on close when entries were applied since the last
 *                               one; default false, so that close stays about 1 s however large
 *                               the store (a restart replays at most {@code snapshotThreshold} entries)
 * @param snapshotsRetained      snapshot files kept on disk; default 2
 * @param logSegmentSizeMax      bytes per Raft log segment file; default 8 MiB
 * @param maxInFlight            commits sent to Raft and not yet answered; more wait in a queue
 *                               (never blocking the caller); default 1024
 * @param startupTimeout         how long {@code startNow} waits for the log to be replayed; default 60 s
 * @param commitPath             how a commit reaches this member's Raft server; default
 *                               {@link CommitPath#LOCAL_SERVER}
 */
record StoreTuning(
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        Duration firstElectionTimeout,
        Duration requestTimeout,
        long snapshotThreshold,
        boolean snapshotOnStop,
        int snapshotsRetained,
        long logSegmentSizeMax,
        int maxInFlight,
        Duration startupTimeout,
        CommitPath commitPath) {

    /** How a commit reaches this member's Raft server. */
    enum CommitPath {
        /**
         * Straight into the server in this JVM ({@code RaftServer.submitClientRequestAsync}):
         * requests in flight are appended together and share one log sync.
         */
        LOCAL_SERVER,
        /**
         * Through a Ratis async {@code RaftClient} over Netty to this member's port. Ratis' Netty
         * server handles client requests one at a time per connection, blocking its event loop
         * until each is applied, so requests in flight queue behind one another (one log sync
         * each) and a deep queue runs into the request timeout. Kept for comparison and for
         * talking to a remote leader later.
         */
        RAFT_CLIENT
    }

    static final StoreTuning DEFAULTS = new StoreTuning(
            Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofMillis(100), Duration.ofSeconds(10),
            10_000, false, 2, 8L << 20, 1024, Duration.ofSeconds(60), CommitPath.LOCAL_SERVER);

    StoreTuning {
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
        Objects.requireNonNull(firstElectionTimeout, "firstElectionTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(commitPath, "commitPath");
        if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("electionTimeoutMax " + electionTimeoutMax + " must be > electionTimeoutMin " + electionTimeoutMin);
        }
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("snapshotThreshold " + snapshotThreshold + " must be >= 1");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " must be >= 1");
        }
    }

    StoreTuning withSnapshotThreshold(long entries) {
        return new StoreTuning(electionTimeoutMin, electionTimeoutMax, firstElectionTimeout, requestTimeout,
                entries, snapshotOnStop, snapshotsRetained, logSegmentSizeMax, maxInFlight, startupTimeout, commitPath);
    }

    StoreTuning withSnapshotOnStop(boolean enabled) {
        return new StoreTuning(electionTimeoutMin, electionTimeoutMax, firstElectionTimeout, requestTimeout,
                snapshotThreshold, enabled, snapshotsRetained, logSegmentSizeMax, maxInFlight, startupTimeout, commitPath);
    }

    StoreTuning withLogSegmentSizeMax(long bytes) {
        return new StoreTuning(electionTimeoutMin, electionTimeoutMax, firstElectionTimeout, requestTimeout,
                snapshotThreshold, snapshotOnStop, snapshotsRetained, bytes, maxInFlight, startupTimeout, commitPath);
    }

    StoreTuning withMaxInFlight(int requests) {
        return new StoreTuning(electionTimeoutMin, electionTimeoutMax, firstElectionTimeout, requestTimeout,
                snapshotThreshold, snapshotOnStop, snapshotsRetained, logSegmentSizeMax, requests, startupTimeout, commitPath);
    }

    StoreTuning withFirstElectionTimeout(Duration timeout) {
        return new StoreTuning(electionTimeoutMin, electionTimeoutMax, timeout, requestTimeout,
                snapshotThreshold, snapshotOnStop, snapshotsRetained, logSegmentSizeMax, maxInFlight, startupTimeout, commitPath);
    }

    StoreTuning withCommitPath(CommitPath path) {
        return new StoreTuning(electionTimeoutMin, electionTimeoutMax, firstElectionTimeout, requestTimeout,
                snapshotThreshold, snapshotOnStop, snapshotsRetained, logSegmentSizeMax, maxInFlight, startupTimeout, path);
    }
}
