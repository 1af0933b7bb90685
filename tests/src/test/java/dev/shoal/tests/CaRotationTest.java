package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.message.SwarmUpdateRequest;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.ca.CertificatePem;
import dev.shoal.ca.JoinToken;
import dev.shoal.ca.NodeCredentials;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code swarm ca --rotate}: every node moves to the new root while the swarm keeps working; old tokens stop. */
class CaRotationTest {
    static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void nodesMoveToANewRootWithoutDowntimeAndOldTokensStopWorking() throws Exception {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 2, 1, 1, "process", Duration.ofSeconds(1))) {
            Swarm before = cluster.swarm(0);
            String oldDigest = JoinToken.parse(before.joinTokens().worker()).caDigest();
            try (ShoalClient c = cluster.daemon(0).client()) {
                c.call(Routes.SWARM_UPDATE, new SwarmUpdateRequest(0, null, false, false, true), Swarm.class).block(CALL);
                Swarm after = c.swarmInspect().block(CALL);
                X509Certificate newRoot = CertificatePem.decode(after.rootCa().caCert(), "the new root").getFirst();
                assertNotEquals(oldDigest, JoinToken.digestOf(newRoot), "a new root");
                assertNotEquals(before.joinTokens().worker(), after.joinTokens().worker(), "new tokens");

                for (int i = 0; i < 3; i++) {
                    Path certs = cluster.daemon(i).dataDir().resolve("swarm/certificates");
                    int node = i;
                    Await.until(Duration.ofSeconds(60), "node " + (i + 1) + " to hold a certificate from the new root", () -> {
                        try {
                            NodeCredentials creds = NodeCredentials.readFrom(certs);
                            creds.certificate().verify(newRoot.getPublicKey());
                            return true;
                        } catch (Exception e) {
                            return false;
                        }
                    }, cluster::logs);
                }
                // the swarm kept working: every node ready, writes through a follower manager work
                Await.until(Duration.ofSeconds(30), "every node ready", () -> cluster.nodes(1).stream().allMatch(n -> n.isReady()), cluster::logs);
                try (ShoalClient follower = cluster.daemon(1).client()) {
                    follower.serviceCreate(new ServiceSpec("after-rotation", Map.of(), new TaskSpec(
                            new ContainerSpec("process", List.of("/bin/sleep"), List.of("60"), null, null, null, null), null, null),
                            ServiceMode.replicated(0))).block(CALL);
                }
            }
            // an old token is refused (the spare host, inside the test's own LAN, tries it)
            ApiException e = assertThrows(ApiException.class, () -> cluster.join(3, before.joinTokens().worker()));
            assertTrue(e.getMessage().contains("CA"), e.getMessage());
            assertEquals(3, cluster.nodes(0).size(), "no node was added by the refused join");
        }
    }
}
