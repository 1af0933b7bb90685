package dev.shoal.controlplane.store;

import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of the cluster store: holds the current {@link StoreView}, applies log
 * entries (JSON transactions, see {@link TransactionCodec}) through {@link TransactionApplier},
 * writes and loads snapshots ({@link SnapshotCodec}), and reports leadership.
 *
 * <p>Reply of an entry: an empty message when the transaction was applied, else the refusal as
 * {@link Json#encodeError} ({@code {"Code":"CONFLICT","Message":"…"}}). A refusal is an ordinary
 * reply, never an exception: Ratis stops a member whose apply throws, and its ordered
 * {@code RaftClient} fails every later request in flight after one exceptional reply.
 *
 * <p>Threading (Ratis' contract): {@link #applyTransaction}, {@link #notifyTermIndexUpdated} and
 * {@link #takeSnapshot} run one at a time on the member's state-machine updater thread, in log
 * order. {@link #view()} may be read from any thread. Listener callbacks run on the updater
 * thread (events) or on Ratis' server threads (leadership) and must not block.
 */
final class ClusterStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterStateMachine.class);
    /** Views kept for commits whose replies are still on their way; older ones are dropped. */
    private static final int REPLY_VIEWS_KEPT = 16_384;

    /** What the store does with what this state machine learns. */
    interface Listener {
        /** A transaction was applied; {@code events} are its changes in order. Updater thread. */
        void applied(StoreView view, List<StoreEvent> events);

        /** This member became leader and has applied every earlier entry: commits will succeed. */
        void leaderReady();

        /** This member is not (or no longer) the leader. */
        void notLeader();
    }

    private final Listener listener;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    /** Guards the pair (view, last applied term-index) so that a snapshot sees both at one point. */
    private final Object applyLock = new Object();
    private volatile StoreView view = StoreView.EMPTY;
    /** index → view, for the commits this member's own client sent; taken by the reply. */
    private final ConcurrentSkipListMap<Long, StoreView> replyViews = new ConcurrentSkipListMap<>();
    /** Futures waiting for the applied index to reach their key (startup replay). */
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> appliedWaiters = new ConcurrentSkipListMap<>();
    private volatile ClientId localClient;
    private volatile TermIndex loadedSnapshot;

    ClusterStateMachine(Listener listener) {
        this.listener = listener;
    }

    StoreView view() {
        return view;
    }

    /** The commits of this client get their exact view back through {@link #takeReplyView}. */
    void setLocalClient(ClientId client) {
        this.localClient = client;
    }

    /** The view right after the entry at {@code index}, or the current view if it was already dropped. */
    StoreView takeReplyView(long index) {
        StoreView v = replyViews.remove(index);
        return v != null ? v : view;
    }

    /** The snapshot loaded at start, or null when the store started from an empty state. */
    TermIndex loadedSnapshot() {
        return loadedSnapshot;
    }

    /** Completes once every log entry up to {@code index} has been applied. */
    CompletableFuture<Void> awaitApplied(long index) {
        CompletableFuture<Void> f = appliedWaiters.computeIfAbsent(index, i -> new CompletableFuture<>());
        completeWaiters(getLastAppliedTermIndex());
        return f;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        SnapshotCodec.deleteLeftovers(raftStorage.getStorageDir().getStateMachineDir().toPath());
        load(storage.getLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path path = snapshot.getFile().getPath();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(path.toFile(), md5);
        }
        SnapshotCodec.Loaded loaded = SnapshotCodec.read(path);
        TermIndex named = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(path.toFile());
        if (!named.equals(loaded.applied())) {
            throw new IOException("snapshot " + path + " holds " + loaded.applied() + " but is named for " + named);
        }
        synchronized (applyLock) {
            view = loaded.view();
            setLastAppliedTermIndex(loaded.applied());
        }
        loadedSnapshot = loaded.applied();
        LOG.info("{}: loaded snapshot {} (view at index {}, {} nodes, {} services, {} tasks)", getId(), loaded.applied(),
                loaded.view().index(), loaded.view().nodes().size(), loaded.view().services().size(), loaded.view().tasks().size());
    }

    @Override
    public long takeSnapshot() throws IOException {
        StoreView v;
        TermIndex applied;
        synchronized (applyLock) {
            v = view;
            applied = getLastAppliedTermIndex();
        }
        if (applied == null || applied.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
        // The view is immutable: writing it needs no lock and no copy, however long it takes.
        try {
            SnapshotCodec.write(file.toPath(), applied, v);
        } catch (RuntimeException e) {
            // Ratis skips a snapshot that fails with an IOException and tries again later; any
            // other exception would stop the member.
            throw new IOException("cannot write snapshot " + file + ": " + e, e);
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
        LOG.info("{}: took snapshot {} ({} bytes, view at index {})", getId(), applied, Files.size(file.toPath()), v.index());
        return applied.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        TransactionApplier.Applied applied = null;
        ApiException refused = null;
        try {
            Transaction tx = TransactionCodec.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
            applied = TransactionApplier.apply(view, tx, index, Instant.now());
        } catch (ApiException e) {
            refused = e;
        } catch (RuntimeException e) {
            // A bug, not a refusal; still deterministic for the same entry, so every member agrees.
            LOG.error("{}: cannot apply log entry {}", getId(), index, e);
            refused = new ApiException(ErrorCode.INTERNAL, "cannot apply log entry " + index + ": " + e);
        }
        TermIndex termIndex = TermIndex.valueOf(entry);
        synchronized (applyLock) {
            if (applied != null) {
                view = applied.view();
            }
            updateLastAppliedTermIndex(termIndex);
        }
        if (applied == null) {
            return CompletableFuture.completedFuture(Message.valueOf(Json.encodeError(refused)));
        }
        RaftClientRequest request = trx.getClientRequest();
        if (request != null && request.getClientId().equals(localClient)) {
            replyViews.put(index, applied.view());
            trimReplyViews();
        }
        try {
            listener.applied(applied.view(), applied.events());
        } catch (RuntimeException e) {
            LOG.error("{}: store listener failed on entry {}", getId(), index, e);
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    private void trimReplyViews() {
        while (replyViews.size() > REPLY_VIEWS_KEPT) {
            replyViews.pollFirstEntry();
        }
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        synchronized (applyLock) {
            updateLastAppliedTermIndex(term, index);
        }
    }

    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex newTI) {
        boolean updated = super.updateLastAppliedTermIndex(newTI);
        if (!appliedWaiters.isEmpty()) {
            completeWaiters(newTI);
        }
        return updated;
    }

    private void completeWaiters(TermIndex applied) {
        long index = applied == null ? -1 : applied.getIndex();
        for (Map.Entry<Long, CompletableFuture<Void>> e; (e = appliedWaiters.firstEntry()) != null && e.getKey() <= index; ) {
            appliedWaiters.remove(e.getKey(), e.getValue());
            e.getValue().complete(null);
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
        if (!member.getPeerId().equals(newLeader)) {
            listener.notLeader();
        }
        // Becoming leader is reported by notifyLeaderReady, once the new term's first entry has
        // been applied: before that, commits would fail with LeaderNotReadyException.
    }

    @Override
    public void notifyLeaderReady() {
        listener.leaderReady();
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        listener.notLeader();
    }

    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        listener.notLeader();
    }
}
