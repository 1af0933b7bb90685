package dev.shoal.ca;

import static dev.shoal.ca.TestCa.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class RootCaTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = TestCa.clockAt(NOW);

    private final RootCa ca = RootCa.generate(CLOCK);

    @Test
    void generatedRootIsASelfSignedP256CaValidForTwentyYears() throws Exception {
        X509Certificate root = ca.certificate();

        assertEquals("CN=swarm-ca", root.getSubjectX500Principal().getName());
        assertEquals(root.getSubjectX500Principal(), root.getIssuerX500Principal());
        root.verify(root.getPublicKey());
        assertEquals("SHA256withECDSA", root.getSigAlgName());
        assertEquals(256, ((ECPublicKey) root.getPublicKey()).getParams().getOrder().bitLength());
        assertEquals(Integer.MAX_VALUE, root.getBasicConstraints());
        assertTrue(root.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
        boolean[] usage = root.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertTrue(root.getNonCriticalExtensionOIDs().contains(Extension.subjectKeyIdentifier.getId()));
        assertEquals(NOW.minus(Duration.ofHours(1)), root.getNotBefore().toInstant());
        assertEquals(NOW.atOffset(ZoneOffset.UTC).plusYears(20).toInstant(), root.getNotAfter().toInstant());
        assertEquals(1, root.getSerialNumber().signum());
        assertEquals(128, root.getSerialNumber().bitLength());
    }

    @Test
    void generatedRootsDiffer() {
        RootCa other = RootCa.generate(CLOCK);

        assertNotEquals(ca.certificate().getSerialNumber(), other.certificate().getSerialNumber());
        assertNotEquals(ca.digest(), other.digest());
    }

    @Test
    void issuedCertificateCarriesTheIdentityTheCaChose() throws Exception {
        KeyPair node = Csr.newKeyPair();

        X509Certificate issued = ca.issue(Csr.create(node, "abc", null), "abc", Role.WORKER, "cluster-1",
                Duration.ofDays(90), CLOCK);

        issued.verify(ca.certificate().getPublicKey());
        assertEquals(node.getPublic(), issued.getPublicKey());
        assertEquals("CN=abc,OU=swarm-worker,O=cluster-1", issued.getSubjectX500Principal().getName());
        assertEquals(ca.certificate().getSubjectX500Principal(), issued.getIssuerX500Principal());
        assertEquals(new NodeIdentity("abc", Role.WORKER, "cluster-1"), NodeIdentity.of(issued));
    }

    @Test
    void issuedCertificateHasNodeExtensions() throws Exception {
        X509Certificate issued = TestCa.node(ca, "node-7", Role.MANAGER, Duration.ofDays(90), CLOCK).certificate();

        assertEquals(-1, issued.getBasicConstraints());
        boolean[] usage = issued.getKeyUsage();
        assertTrue(usage[0] && usage[2], "digitalSignature and keyEncipherment");
        assertTrue(!usage[5], "no keyCertSign");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), issued.getExtendedKeyUsage());
        assertEquals(List.of(List.of(2, "node-7"), List.of(2, "swarm-manager")),
                issued.getSubjectAlternativeNames().stream().toList());
        byte[] authorityKeyId = AuthorityKeyIdentifier.getInstance(
                extension(issued, Extension.authorityKeyIdentifier.getId())).getKeyIdentifierOctets();
        byte[] rootKeyId = SubjectKeyIdentifier.getInstance(
                extension(ca.certificate(), Extension.subjectKeyIdentifier.getId())).getKeyIdentifier();
        assertArrayEquals(rootKeyId, authorityKeyId);
    }

    @Test
    void issuedCertificateIsValidFromOneMinuteAgoForTheRequestedExpiry() {
        X509Certificate issued = TestCa.node(ca, "n1", Role.WORKER, Duration.ofHours(6), CLOCK).certificate();

        assertEquals(NOW.minus(Duration.ofMinutes(1)), issued.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofHours(6)), issued.getNotAfter().toInstant());
    }

    @Test
    void issuedCertificateDoesNotOutliveTheRoot() {
        X509Certificate issued =
                TestCa.node(ca, "n1", Role.WORKER, Duration.ofDays(365 * 30), CLOCK).certificate();

        assertEquals(ca.certificate().getNotAfter(), issued.getNotAfter());
    }

    @Test
    void csrAskingForManagerOuGetsWhatTheCaChooses() {
        PKCS10CertificationRequest csr = Csr.create(Csr.newKeyPair(), "other", Role.MANAGER.ou());

        X509Certificate issued = ca.issue(csr, "node-42", Role.WORKER, "cluster-1", Duration.ofDays(1), CLOCK);

        NodeIdentity identity = NodeIdentity.of(issued);
        assertEquals(Role.WORKER, identity.role());
        assertEquals("node-42", identity.nodeId());
        assertEquals("cluster-1", identity.clusterId());
    }

    @Test
    void expiryShorterThanOneHourIsRefused() {
        PKCS10CertificationRequest csr = Csr.create(Csr.newKeyPair(), "n1", null);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ca.issue(csr, "n1", Role.WORKER, "c", Duration.ofMinutes(59), CLOCK));

        assertEquals("cert expiry must be at least 1h, was PT59M", refused.getMessage());
    }

    @Test
    void invalidNodeIdIsRefused() {
        PKCS10CertificationRequest csr = Csr.create(Csr.newKeyPair(), "n1", null);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ca.issue(csr, "bad id,OU=swarm-manager", Role.WORKER, "c", Duration.ofDays(1), CLOCK));

        assertMessageContains(refused, "invalid node id 'bad id,OU=swarm-manager'");
    }

    @Test
    void emptyClusterIdIsRefused() {
        PKCS10CertificationRequest csr = Csr.create(Csr.newKeyPair(), "n1", null);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ca.issue(csr, "n1", Role.WORKER, " ", Duration.ofDays(1), CLOCK));

        assertEquals("invalid cluster id: must not be empty", refused.getMessage());
    }

    @Test
    void expiredRootCannotIssue() {
        PKCS10CertificationRequest csr = Csr.create(Csr.newKeyPair(), "n1", null);
        Clock later = TestCa.clockAt(NOW.atOffset(ZoneOffset.UTC).plusYears(21).toInstant());

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ca.issue(csr, "n1", Role.WORKER, "c", Duration.ofDays(1), later));

        assertMessageContains(refused, "the root CA " + ca.digest() + " is not valid at");
    }

    @Test
    void pemRoundTrip() {
        String certificatePem = ca.certificatePem();
        String keyPem = ca.privateKeyPem();

        RootCa read = RootCa.fromPem(certificatePem, keyPem);

        assertTrue(certificatePem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals(ca.certificate(), read.certificate());
        assertArrayEquals(ca.privateKey().getEncoded(), read.privateKey().getEncoded());
        assertEquals(ca.digest(), read.digest());
    }

    @Test
    void rootFromPemCanIssue() throws Exception {
        RootCa read = RootCa.fromPem(ca.certificatePem(), ca.privateKeyPem());

        X509Certificate issued = TestCa.node(read, "n1", Role.WORKER, Duration.ofDays(1), CLOCK).certificate();

        issued.verify(ca.certificate().getPublicKey());
    }

    @Test
    void garbagePemIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RootCa.fromPem("hello", ca.privateKeyPem()));

        assertEquals("root CA certificate PEM: no PEM CERTIFICATE block", refused.getMessage());
    }

    @Test
    void operatorRootIsAccepted() {
        RootCa operator = RootCa.of(ca.certificate(), ca.privateKey(), CLOCK);

        assertEquals(ca.digest(), operator.digest());
    }

    @Test
    void operatorRootThatIsNotACaIsRefused() {
        NodeCredentials node = TestCa.node(ca, "n1", Role.MANAGER, Duration.ofDays(1), CLOCK);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RootCa.of(node.certificate(), node.key(), CLOCK));

        assertMessageContains(refused, "is not a CA certificate (basicConstraints CA:true is missing)");
    }

    @Test
    void operatorRootWithMismatchedKeyIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RootCa.of(ca.certificate(), Csr.newKeyPair().getPrivate(), CLOCK));

        assertMessageContains(refused, "the private key does not match root CA certificate 'CN=swarm-ca'");
    }

    @Test
    void operatorRootThatIsNotSelfSignedIsRefused() throws Exception {
        KeyPair intermediate = Csr.newKeyPair();
        X509Certificate certificate = TestCa.certificate(new X500Name("CN=swarm-ca"), ca.privateKey(),
                new X500Name("CN=intermediate"), intermediate.getPublic(), true, NOW.minusSeconds(60),
                NOW.plus(Duration.ofDays(1)));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RootCa.of(certificate, intermediate.getPrivate(), CLOCK));

        assertMessageContains(refused, "'CN=intermediate' is not self-signed (issuer 'CN=swarm-ca')");
    }

    @Test
    void expiredOperatorRootIsRefused() {
        Clock later = TestCa.clockAt(NOW.atOffset(ZoneOffset.UTC).plusYears(21).toInstant());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RootCa.of(ca.certificate(), ca.privateKey(), later));

        assertMessageContains(refused, "root CA certificate 'CN=swarm-ca' expired at");
    }

    private static byte[] extension(X509Certificate certificate, String oid) {
        return ASN1OctetString.getInstance(certificate.getExtensionValue(oid)).getOctets();
    }
}
