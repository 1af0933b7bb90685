package dev.shoal.ca;

import static dev.shoal.ca.TestCa.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {
    private final RootCa ca = RootCa.generate(TestCa.CLOCK);

    private IllegalArgumentException refusal(X500Name subject) throws Exception {
        X509Certificate certificate = TestCa.nodeCertificate(ca, subject, Csr.newKeyPair().getPublic());
        return assertThrows(IllegalArgumentException.class, () -> NodeIdentity.of(certificate));
    }

    @Test
    void identityOfAnIssuedCertificate() {
        NodeCredentials manager = TestCa.node(ca, "m1", Role.MANAGER);

        assertEquals(new NodeIdentity("m1", Role.MANAGER, TestCa.CLUSTER), NodeIdentity.of(manager.certificate()));
        assertEquals(manager.identity(), NodeIdentity.of(manager.certificate()));
    }

    @Test
    void subjectWithoutCnIsRefused() throws Exception {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "c").addRDN(BCStyle.OU, "swarm-worker").build();

        assertMessageContains(refusal(subject), "has no CN (node id)");
    }

    @Test
    void subjectWithoutOuIsRefused() throws Exception {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "c").addRDN(BCStyle.CN, "n1").build();

        assertMessageContains(refusal(subject), "has no OU (role)");
    }

    @Test
    void subjectWithoutOIsRefused() throws Exception {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, "swarm-worker").addRDN(BCStyle.CN, "n1").build();

        assertMessageContains(refusal(subject), "has no O (cluster id)");
    }

    @Test
    void subjectWithTwoOusIsRefused() throws Exception {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "c").addRDN(BCStyle.OU, "swarm-worker").addRDN(BCStyle.OU, "swarm-manager")
                .addRDN(BCStyle.CN, "n1").build();

        assertMessageContains(refusal(subject), "has 2 OU (role) values; exactly one is required");
    }

    @Test
    void unknownRoleOuIsRefused() throws Exception {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "c").addRDN(BCStyle.OU, "swarm-admin").addRDN(BCStyle.CN, "n1").build();

        assertMessageContains(refusal(subject),
                "unknown role OU 'swarm-admin': expected swarm-manager or swarm-worker");
    }

    @Test
    void roleFromOu() {
        assertEquals(Role.MANAGER, Role.fromOu("swarm-manager"));
        assertEquals(Role.WORKER, Role.fromOu("swarm-worker"));
        assertEquals("unknown role OU 'manager': expected swarm-manager or swarm-worker",
                assertThrows(IllegalArgumentException.class, () -> Role.fromOu("manager")).getMessage());
    }
}
