package dev.shoal.controlplane.store;

import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link ClusterStore} on Apache Ratis: one Raft member (server, Netty RPC) with the
 * {@link ClusterStateMachine}. Commits enter this member's server in-process, with a client id of
 * their own ({@link StoreTuning.CommitPath}: Ratis' Netty server would serve a {@code RaftClient}
 * one request at a time).
 *
 * <p>Today the group has this one member; its id is fixed ({@link #GROUP_ID}) so that a restart
 * finds its storage again. Membership changes and mutual TLS come later: the peers list and the
 * Ratis {@code Parameters} are built in one place each ({@link #group}, {@link #properties}).
 *
 * <p>Threading:
 * <ul>
 *   <li>{@link #commit} never blocks: it queues the transaction, and the member's submit thread
 *       hands it to Raft with at most {@code maxInFlight} requests under way. It completes on
 *       Reactor's bounded-elastic scheduler (not a Ratis or Netty thread), so a caller may block
 *       in its continuation without stalling Raft.</li>
 *   <li>{@link #watch} and {@link #leadership} deliver on the bounded-elastic scheduler too, one
 *       worker per subscriber; each subscriber has its own unbounded buffer, so a slow one delays
 *       only itself and loses nothing, and the Raft apply thread never waits for it.</li>
 *   <li>{@link #view} is a volatile read.</li>
 * </ul>
 */
public final class RaftClusterStore implements ClusterStore {
    private static final Logger LOG = LoggerFactory.getLogger(RaftClusterStore.class);

    /** The Raft group of every Shoal swarm; fixed, so that a restarted member recovers its own storage. */
    public static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("shoal".getBytes(StandardCharsets.UTF_8)));

    /**
     * Who this member is and where it keeps its log.
     *
     * @param memberId         the Raft peer id (the node id, in practice); stable across restarts
     * @param raftAddress      where the Raft RPC listens (Docker's 2378 by default)
     * @param advertiseAddress the {@code host:port} other members dial; null for {@code raftAddress}
     * @param storageDir       the directory of the Raft log and snapshots, created when missing
     * @param tls              the member's certificate and the peer check for mutual TLS 1.3 on
     *                         every Raft link (gRPC); null for plaintext on loopback (Netty RPC),
     *                         which only tests and benchmarks of a single member use
     * @param startup          what to do when {@code storageDir} holds no Raft storage yet
     */
    public record StoreConfig(String memberId, InetSocketAddress raftAddress, String advertiseAddress, Path storageDir,
                              RaftTls tls, Startup startup) {
        public StoreConfig {
            if (memberId == null || memberId.isBlank()) {
                throw new IllegalArgumentException("invalid memberId: " + memberId + ": must not be empty");
            }
            Objects.requireNonNull(raftAddress, "raftAddress");
            Objects.requireNonNull(storageDir, "storageDir");
            Objects.requireNonNull(startup, "startup");
            if (advertiseAddress == null) {
                advertiseAddress = raftAddress.getHostString() + ":" + raftAddress.getPort();
            }
        }

        /** A plaintext member that bootstraps a group of its own: for tests and benchmarks on loopback. */
        public StoreConfig(String memberId, InetSocketAddress raftAddress, Path storageDir) {
            this(memberId, raftAddress, null, storageDir, null, Startup.BOOTSTRAP);
        }
    }

    /** What a member with no Raft storage yet does at start; a member with storage always recovers it. */
    public enum Startup {
        /** Formats a new group with this member alone: {@code swarm init}. */
        BOOTSTRAP,
        /**
         * Formats an empty group and waits for the leader to add this member ({@link #addMember}):
         * {@code swarm join} as a manager. Such a member never starts an election on its own.
         */
        JOIN
    }

    /**
     * Mutual TLS for Raft: the key manager serves this member's certificate, the trust manager
     * checks the peer's chain and role (a manager of this swarm, not removed).
     */
    public record RaftTls(KeyManager keyManager, TrustManager trustManager) {
        public RaftTls {
            Objects.requireNonNull(keyManager, "keyManager");
            Objects.requireNonNull(trustManager, "trustManager");
        }
    }

    /** A member of the Raft group: its id (the node id) and the {@code host:port} of its Raft RPC. */
    public record Member(String id, String address) {}

    private final StoreConfig config;
    private final ClusterStateMachine stateMachine;
    private final Scheduler callbacks;
    private final CopyOnWriteArrayList<FluxSink<List<StoreEvent>>> watchers = new CopyOnWriteArrayList<>();
    private final Sinks.Many<Boolean> leadershipSink = Sinks.many().replay().latestOrDefault(false);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService submitter;
    private final InFlightLimiter<PendingCommit> limiter;
    private final StoreTuning.CommitPath commitPath;
    private final Duration requestTimeout;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private boolean leader; // guarded by leadershipSink
    // set once by start(), before the store is handed out
    private volatile RaftPeerId self;
    private volatile RaftServer server;
    private volatile RaftClient client; // only on the RAFT_CLIENT commit path

    private record PendingCommit(Message message, CompletableFuture<StoreView> result) {}

    private RaftClusterStore(StoreConfig config, StoreTuning tuning) {
        this.config = config;
        // Reactor's shared bounded-elastic scheduler: blocking is allowed there, and it outlives
        // this store, so results and completions still get delivered while (and after) it closes.
        this.callbacks = Schedulers.boundedElastic();
        this.stateMachine = new ClusterStateMachine(new ClusterStateMachine.Listener() {
            @Override
            public void applied(StoreView view, List<StoreEvent> events) {
                publish(events);
            }

            @Override
            public void leaderReady() {
                setLeader(true);
            }

            @Override
            public void notLeader() {
                setLeader(false);
            }
        });
        this.submitter = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("shoal-store-submit-" + config.memberId()).factory());
        this.limiter = new InFlightLimiter<>(tuning.maxInFlight(), submitter, this::send);
        this.commitPath = tuning.commitPath();
        this.requestTimeout = tuning.requestTimeout();
    }

    /**
     * Starts this member: formats a new single-member group when {@code storageDir} holds no Raft
     * storage, else recovers from it (latest snapshot, then the log). Returns once the server
     * runs and every entry known committed at start has been applied, so {@link #view()} shows
     * the recovered state; leadership follows shortly after (see {@link #awaitLeader}).
     *
     * @throws UncheckedIOException when the storage cannot be used or the port cannot be bound
     */
    public static RaftClusterStore startNow(StoreConfig config) {
        return startNow(config, StoreTuning.DEFAULTS);
    }

    static RaftClusterStore startNow(StoreConfig config, StoreTuning tuning) {
        RaftClusterStore store = new RaftClusterStore(config, tuning);
        try {
            store.start(tuning);
            return store;
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("cannot start the cluster store of " + config.memberId() + " in " + config.storageDir()
                    + " on " + config.raftAddress() + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    private void start(StoreTuning tuning) throws IOException {
        Files.createDirectories(config.storageDir());
        // Ratis leaves its member running when its RPC server cannot bind: find out first.
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(config.raftAddress());
        } catch (IOException e) {
            throw new IOException("the Raft address " + config.raftAddress() + " is not free: " + e.getMessage(), e);
        }
        self = RaftPeerId.valueOf(config.memberId());
        RaftGroup group = config.startup() == Startup.JOIN ? RaftGroup.valueOf(GROUP_ID) : group(self);
        RaftProperties properties = properties(tuning);
        server = RaftServer.newBuilder()
                .setServerId(self)
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(properties)
                .setParameters(parameters())
                // RECOVER formats the storage when there is none, and recovers it otherwise.
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        if (commitPath == StoreTuning.CommitPath.RAFT_CLIENT) {
            client = RaftClient.newBuilder()
                    .setProperties(properties)
                    .setParameters(parameters())
                    .setRaftGroup(group)
                    .setLeaderId(self)
                    .setClientId(clientId)
                    // A commit goes to this member only: a follower answers UNAVAILABLE instead of
                    // forwarding, so callers learn at once that they are not talking to the leader.
                    .setRetryPolicy(RetryPolicies.noRetry())
                    .build();
        }
        stateMachine.setLocalClient(clientId);

        long committed = server.getDivision(GROUP_ID).getRaftLog().getLastCommittedIndex();
        try {
            stateMachine.awaitApplied(committed).get(tuning.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while replaying the log up to index " + committed, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the log was not replayed up to index " + committed + " within " + tuning.startupTimeout(), e);
        }
        LOG.info("{}: cluster store started on {} in {} at index {} (snapshot {})", config.memberId(), config.raftAddress(),
                config.storageDir(), stateMachine.view().index(), stateMachine.loadedSnapshot());
    }

    /** The group a new swarm starts with: this member alone. */
    private RaftGroup group(RaftPeerId self) {
        return RaftGroup.valueOf(GROUP_ID, peer(new Member(self.toString(), config.advertiseAddress())));
    }

    private static RaftPeer peer(Member m) {
        return RaftPeer.newBuilder().setId(m.id()).setAddress(m.address()).build();
    }

    /** Ratis' Netty RPC has no TLS: a member with TLS speaks gRPC, one without (tests) Netty. */
    private Parameters parameters() {
        Parameters parameters = new Parameters();
        if (config.tls() != null) {
            GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(config.tls().keyManager(), config.tls().trustManager(), true));
        }
        return parameters;
    }

    private RaftProperties properties(StoreTuning tuning) {
        RaftProperties p = new RaftProperties();
        if (config.tls() != null) {
            RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
            GrpcConfigKeys.Server.setHost(p, config.raftAddress().getHostString());
            GrpcConfigKeys.Server.setPort(p, config.raftAddress().getPort());
        } else {
            RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
            NettyConfigKeys.Server.setHost(p, config.raftAddress().getHostString());
            NettyConfigKeys.Server.setPort(p, config.raftAddress().getPort());
        }
        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));

        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(tuning.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(tuning.electionTimeoutMax()));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, millis(tuning.firstElectionTimeout()));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, millis(tuning.firstElectionTimeout().multipliedBy(2)));

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, tuning.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, tuning.snapshotOnStop());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, tuning.snapshotsRetained());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(tuning.logSegmentSizeMax()));

        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(tuning.requestTimeout()));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, tuning.maxInFlight());
        return p;
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when this member is leader and ready to commit; UNAVAILABLE after {@code timeout}. */
    public Mono<Void> awaitLeader(Duration timeout) {
        return Mono.defer(() -> closed.get() ? Mono.error(closedException()) : leadershipSink.asFlux()
                .filter(Boolean::booleanValue)
                .next()
                .switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.UNAVAILABLE, "the cluster store of " + config.memberId() + " is closed")))
                .timeout(timeout, Mono.error(() -> new ApiException(ErrorCode.UNAVAILABLE,
                        "member " + config.memberId() + " did not become leader within " + timeout.toMillis() + " ms")))
                .publishOn(callbacks)
                .then());
    }

    // ---- membership -----------------------------------------------------------------------------

    /** The members of the group as this member knows them (the committed or pending configuration). */
    public List<Member> members() {
        try {
            return server.getDivision(GROUP_ID).getRaftConf().getCurrentPeers().stream()
                    .map(p -> new Member(p.getId().toString(), p.getAddress()))
                    .sorted(java.util.Comparator.comparing(Member::id))
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The id of the member this one believes leads, if any. */
    public java.util.Optional<String> leaderId() {
        try {
            RaftPeerId id = server.getDivision(GROUP_ID).getInfo().getLeaderId();
            return java.util.Optional.ofNullable(id).map(RaftPeerId::toString);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** This member's id. */
    public String memberId() {
        return config.memberId();
    }

    /**
     * Adds {@code member} to the group (or moves it to a new address); leader only. The new member
     * must be running (started with {@link Startup#JOIN}); Ratis catches it up before the new
     * configuration commits. Completes when it has committed.
     */
    public Mono<Void> addMember(Member member) {
        return changeMembers(current -> {
            List<Member> next = new java.util.ArrayList<>(current.stream().filter(m -> !m.id().equals(member.id())).toList());
            next.add(member);
            return next;
        }, "add " + member.id());
    }

    /**
     * Removes the member {@code id} from the group; leader only. Refused with FAILED_PRECONDITION
     * when the members left could not reach quorum (fewer than a majority of the new group
     * reachable is the caller's check; this one refuses removing the last member).
     */
    public Mono<Void> removeMember(String id) {
        return changeMembers(current -> {
            List<Member> next = current.stream().filter(m -> !m.id().equals(id)).toList();
            if (next.isEmpty()) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "cannot remove " + id + ": it is the last manager of the swarm");
            }
            return next;
        }, "remove " + id);
    }

    private Mono<Void> changeMembers(java.util.function.UnaryOperator<List<Member>> change, String what) {
        return Mono.defer(() -> {
            if (!isLeader()) {
                return Mono.error(notLeader());
            }
            List<Member> next = change.apply(members());
            SetConfigurationRequest request = new SetConfigurationRequest(clientId, self, GROUP_ID, callIds.incrementAndGet(),
                    next.stream().map(RaftClusterStore::peer).toList());
            CompletableFuture<RaftClientReply> reply;
            try {
                reply = server.setConfigurationAsync(request);
            } catch (IOException e) {
                return Mono.error(unavailable(e));
            }
            return Mono.fromFuture(reply)
                    .onErrorMap(e -> unavailable(e))
                    .flatMap(r -> r.isSuccess() ? Mono.<Void>empty()
                            : Mono.error(new ApiException(ErrorCode.UNAVAILABLE, "cannot " + what + " in the Raft group: " + r.getException())))
                    .doOnSuccess(ignored -> LOG.info("{}: Raft group change committed: {}", config.memberId(), what))
                    .publishOn(callbacks);
        });
    }

    /**
     * Hands leadership to {@code target} (any other member when null); leader only. Completes when
     * another member leads.
     */
    public Mono<Void> transferLeadership(String target, Duration timeout) {
        return Mono.defer(() -> {
            if (!isLeader()) {
                return Mono.empty();
            }
            String to = target;
            if (to == null) {
                to = members().stream().map(Member::id).filter(id -> !id.equals(config.memberId())).findFirst()
                        .orElseThrow(() -> new ApiException(ErrorCode.FAILED_PRECONDITION, "no other manager to hand leadership to"));
            }
            TransferLeadershipRequest request = new TransferLeadershipRequest(clientId, self, GROUP_ID, callIds.incrementAndGet(),
                    RaftPeerId.valueOf(to), timeout.toMillis());
            try {
                return Mono.fromFuture(server.transferLeadershipAsync(request))
                        .onErrorMap(e -> unavailable(e))
                        .flatMap(r -> r.isSuccess() ? Mono.<Void>empty()
                                : Mono.error(new ApiException(ErrorCode.UNAVAILABLE, "leadership transfer failed: " + r.getException())))
                        .publishOn(callbacks);
            } catch (IOException e) {
                return Mono.error(unavailable(e));
            }
        });
    }

    /** The config this member was started with. */
    public StoreConfig config() {
        return config;
    }

    /** The snapshot's index this member loaded at start, or -1 when it started without one. */
    long loadedSnapshotIndex() {
        return stateMachine.loadedSnapshot() == null ? -1 : stateMachine.loadedSnapshot().getIndex();
    }

    @Override
    public StoreView view() {
        return stateMachine.view();
    }

    @Override
    public Mono<StoreView> commit(Transaction tx) {
        return Mono.defer(() -> {
            try {
                TransactionApplier.validate(tx);
            } catch (ApiException e) {
                return Mono.error(e);
            }
            if (closed.get()) {
                return Mono.error(closedException());
            }
            if (!isLeader()) {
                return Mono.error(notLeader());
            }
            Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(TransactionCodec.encode(tx)));
            CompletableFuture<StoreView> result = new CompletableFuture<>();
            limiter.submit(new PendingCommit(message, result));
            if (closed.get()) {
                failQueued(); // raced with close(): it may have emptied the queue before this one came
            }
            // Off Ratis' threads: a caller that blocks in its continuation must not stall the
            // replies of every other commit.
            return Mono.fromFuture(result.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS), true)
                    .onErrorMap(TimeoutException.class, e -> new ApiException(ErrorCode.UNAVAILABLE,
                            "no reply from Raft within " + requestTimeout.toMillis() + " ms on member " + config.memberId()
                                    + "; the transaction may still be applied"))
                    .publishOn(callbacks);
        });
    }

    private void send(PendingCommit commit) {
        CompletableFuture<RaftClientReply> reply;
        try {
            if (closed.get()) {
                throw closedException();
            }
            reply = switch (commitPath) {
                // Appends to the log before it returns (no I/O: the log worker syncs later), so
                // commits enter the log in the order the limiter sends them.
                case LOCAL_SERVER -> server.submitClientRequestAsync(RaftClientRequest.newBuilder()
                        .setClientId(clientId)
                        .setServerId(self)
                        .setGroupId(GROUP_ID)
                        .setCallId(callIds.incrementAndGet())
                        .setMessage(commit.message())
                        .setType(RaftClientRequest.writeRequestType())
                        .build());
                case RAFT_CLIENT -> client.async().send(commit.message());
            };
        } catch (IOException | RuntimeException e) {
            limiter.release();
            commit.result().completeExceptionally(e instanceof ApiException ? e : unavailable(e));
            return;
        }
        reply.whenComplete((r, error) -> {
            limiter.release();
            if (error != null) {
                commit.result().completeExceptionally(unavailable(error));
            } else {
                complete(commit.result(), r);
            }
        });
    }

    private void complete(CompletableFuture<StoreView> result, RaftClientReply reply) {
        if (!reply.isSuccess()) {
            result.completeExceptionally(unavailable(reply.getException()));
            return;
        }
        var content = reply.getMessage() == null ? null : reply.getMessage().getContent();
        if (content != null && !content.isEmpty()) {
            result.completeExceptionally(Json.decodeError(content.toStringUtf8()));
            return;
        }
        result.complete(stateMachine.takeReplyView(reply.getLogIndex()));
    }

    private ApiException unavailable(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ApiException api) {
            return api;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NotLeaderException || c instanceof LeaderNotReadyException) {
                return notLeader();
            }
            if (c instanceof AlreadyClosedException && closed.get()) {
                return closedException();
            }
        }
        return new ApiException(ErrorCode.UNAVAILABLE, "the commit did not complete on member " + config.memberId() + ": " + e);
    }

    private ApiException notLeader() {
        String leaderId = "unknown";
        try {
            RaftPeerId id = server == null ? null : server.getDivision(GROUP_ID).getInfo().getLeaderId();
            leaderId = id == null ? "unknown" : id.toString();
        } catch (IOException | RuntimeException ignored) {
            // closing: the leader is unknown
        }
        return new ApiException(ErrorCode.UNAVAILABLE, "not the leader: member " + config.memberId() + " cannot commit (leader: " + leaderId + ")");
    }

    private ApiException closedException() {
        return new ApiException(ErrorCode.UNAVAILABLE, "the cluster store of " + config.memberId() + " is closed");
    }

    @Override
    public Flux<StoreEvent> watch() {
        if (closed.get()) {
            return Flux.empty();
        }
        return Flux.<List<StoreEvent>>create(sink -> {
                    watchers.add(sink);
                    sink.onDispose(() -> watchers.remove(sink));
                    if (closed.get()) {
                        watchers.remove(sink);
                        sink.complete();
                    }
                }, FluxSink.OverflowStrategy.BUFFER)
                .publishOn(callbacks)
                .flatMapIterable(events -> events);
    }

    /** Updater thread: hands one transaction's events to every watcher, all of them or none. */
    private void publish(List<StoreEvent> events) {
        for (FluxSink<List<StoreEvent>> sink : watchers) {
            sink.next(events);
        }
    }

    @Override
    public Flux<Boolean> leadership() {
        if (closed.get()) {
            return Flux.just(false);
        }
        return leadershipSink.asFlux().publishOn(callbacks);
    }

    @Override
    public boolean isLeader() {
        RaftServer s = server;
        if (s == null || closed.get()) {
            return false;
        }
        try {
            var info = s.getDivision(GROUP_ID).getInfo();
            return info.isLeader() && info.isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    private void setLeader(boolean value) {
        synchronized (leadershipSink) {
            if (leader != value) {
                leader = value;
                leadershipSink.tryEmitNext(value);
                LOG.info("{}: {} leader", config.memberId(), value ? "is now" : "is no longer");
            }
        }
    }

    /** Stops the member quickly; idempotent. Pending commits fail with UNAVAILABLE. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        submitter.shutdown();
        failQueued();
        closeQuietly(client, "client");
        closeQuietly(server, "server");
        setLeader(false);
        for (FluxSink<List<StoreEvent>> sink : watchers) {
            sink.complete();
        }
        watchers.clear();
        synchronized (leadershipSink) {
            leadershipSink.tryEmitComplete();
        }
    }

    private void failQueued() {
        for (PendingCommit c : limiter.takeQueued()) {
            c.result().completeExceptionally(closedException());
        }
    }

    private void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("{}: closing the Raft {} failed", config.memberId(), what, e);
        }
    }

    @Override
    public String toString() {
        return "RaftClusterStore[" + config.memberId() + "@" + config.raftAddress() + ", index " + view().index() + "]";
    }
}
