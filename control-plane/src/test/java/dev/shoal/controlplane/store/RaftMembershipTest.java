package dev.shoal.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.Node;
import dev.shoal.ca.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Raft group of three members over mutual TLS: membership changes, replication, leadership. */
class RaftMembershipTest {
    @TempDir
    Path dir;

    @Test
    void threeMembersOverTlsReplicateEveryCommit() {
        try (RaftGroup g = RaftGroup.start(dir, 3)) {
            RaftClusterStore leader = g.leader();
            assertEquals(3, leader.members().size());
            Node n = Fixtures.node("replicated");
            leader.commit(Transaction.of(Change.create(n))).block(Duration.ofSeconds(10));
            for (RaftClusterStore m : g.members()) {
                RaftGroup.await("member " + m.memberId() + " to apply the commit", () -> m.view().nodes().containsKey(n.id()));
            }
        }
    }

    @Test
    void aFollowerCannotCommitAndNamesTheLeader() {
        try (RaftGroup g = RaftGroup.start(dir, 3)) {
            RaftClusterStore leader = g.leader();
            RaftClusterStore follower = g.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.shoal.api.error.ApiException.class,
                    () -> follower.commit(Transaction.of(Change.create(Fixtures.node("x")))).block(Duration.ofSeconds(10)));
            assertTrue(e.getMessage().contains("not the leader") && e.getMessage().contains(leader.memberId()), e.getMessage());
        }
    }

    @Test
    void removingAMemberAndHandingLeadershipOver() {
        try (RaftGroup g = RaftGroup.start(dir, 3)) {
            RaftClusterStore leader = g.leader();
            RaftClusterStore other = g.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
            leader.transferLeadership(other.memberId(), Duration.ofSeconds(10)).block(Duration.ofSeconds(20));
            RaftGroup.await("the other member to lead", other::isLeader);
            other.removeMember(leader.memberId()).block(Duration.ofSeconds(20));
            assertEquals(List.of(), other.members().stream().filter(m -> m.id().equals(leader.memberId())).toList());
            assertEquals(2, other.members().size());
            other.commit(Transaction.of(Change.create(Fixtures.node("after")))).block(Duration.ofSeconds(10));
        }
    }

    @Test
    void aMemberWithAWorkerCertificateIsNeverCaughtUp() {
        try (RaftGroup g = RaftGroup.start(dir, 1)) {
            RaftClusterStore worker = g.member("w1", RaftClusterStore.Startup.JOIN, Role.WORKER);
            try {
                var add = g.leader().addMember(new RaftClusterStore.Member("w1", worker.config().advertiseAddress()))
                        .timeout(Duration.ofSeconds(8));
                org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> add.block(Duration.ofSeconds(10)));
                assertNotSame(null, g.leader());
                assertEquals(0, worker.view().index(), "the worker's member received nothing");
            } finally {
                worker.close();
            }
        }
    }
}
