package dev.shoal.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The state machine fed log entries directly, as a follower replaying its log would: refusals are
 * replies, not failures, and they change nothing but the applied index.
 */
class ClusterStateMachineTest {
    private final List<List<StoreEvent>> published = new ArrayList<>();
    private final ClusterStateMachine machine = new ClusterStateMachine(new ClusterStateMachine.Listener() {
        @Override
        public void applied(StoreView view, List<StoreEvent> events) {
            published.add(events);
        }

        @Override
        public void leaderReady() {}

        @Override
        public void notLeader() {}
    });

    private Message apply(long index, byte[] data) {
        LogEntryProto entry = LogEntryProto.newBuilder()
                .setTerm(1)
                .setIndex(index)
                .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder().setLogData(ByteString.copyFrom(data)))
                .build();
        TransactionContext trx = TransactionContext.newBuilder()
                .setStateMachine(machine)
                .setLogEntry(entry)
                .setServerRole(RaftPeerRole.FOLLOWER)
                .build();
        return machine.applyTransaction(trx).join();
    }

    private static ApiException refusal(Message reply) {
        return Json.decodeError(reply.getContent().toStringUtf8());
    }

    @Test
    void appliedTransactionRepliesEmptyAndPublishesItsEvents() {
        Service web = Fixtures.service("web");
        Message reply = apply(3, TransactionCodec.encode(Transaction.of(Change.create(web))));
        assertTrue(reply.getContent().isEmpty());
        assertEquals(3, machine.view().index());
        assertEquals(3, machine.getLastAppliedTermIndex().getIndex());
        assertEquals(1, published.size());
        assertEquals(StoreEvent.Action.CREATE, published.getFirst().getFirst().action());
    }

    @Test
    void garbageLogEntryIsRefusedAndWritesNothing() {
        StoreView before = machine.view();
        ApiException e = refusal(apply(1, "garbage".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertSame(before, machine.view());
        assertEquals(1, machine.getLastAppliedTermIndex().getIndex());
        assertTrue(published.isEmpty());
    }

    @Test
    void emptyTransactionLogEntryIsRefusedAndWritesNothing() {
        ApiException e = refusal(apply(1, "{\"Changes\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertSame(StoreView.EMPTY, machine.view());
        assertTrue(published.isEmpty());
    }

    @Test
    void conflictingLogEntryIsRefusedAndTheViewKeepsItsIndex() {
        Service web = Fixtures.service("web");
        apply(1, TransactionCodec.encode(Transaction.of(Change.create(web))));
        StoreView before = machine.view();

        ApiException e = refusal(apply(2, TransactionCodec.encode(Transaction.of(Change.create(web)))));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertSame(before, machine.view());
        assertEquals(1, machine.view().index());
        assertEquals(2, machine.getLastAppliedTermIndex().getIndex());
        assertEquals(1, published.size());
    }

    @Test
    void awaitAppliedCompletesWhenTheIndexIsReached() {
        var waiting = machine.awaitApplied(2);
        apply(1, "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(!waiting.isDone());
        apply(2, "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(waiting.isDone());
        assertTrue(machine.awaitApplied(1).isDone());
    }
}
