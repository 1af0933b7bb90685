package dev.shoal.ca;

import static dev.shoal.ca.TestCa.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CsrTest {
    private final RootCa ca = RootCa.generate(TestCa.CLOCK);

    @Test
    void newKeyPairIsP256FromTheJdkProvider() {
        KeyPair keyPair = Csr.newKeyPair();

        assertEquals("EC", keyPair.getPublic().getAlgorithm());
        assertEquals(256, ((ECPublicKey) keyPair.getPublic()).getParams().getOrder().bitLength());
        assertEquals("sun.security.ec.ECPrivateKeyImpl", keyPair.getPrivate().getClass().getName());
    }

    @Test
    void derRoundTrip() throws Exception {
        KeyPair keyPair = Csr.newKeyPair();
        PKCS10CertificationRequest csr = Csr.create(keyPair, "node-1", "swarm-worker");

        PKCS10CertificationRequest read = Csr.fromDer(Csr.toDer(csr));

        assertArrayEquals(csr.getEncoded(), read.getEncoded());
        assertEquals(new X500Name("OU=swarm-worker,CN=node-1").toString(), read.getSubject().toString());
    }

    @Test
    void badCsrDerIsRefused() {
        InvalidCsrException refused =
                assertThrows(InvalidCsrException.class, () -> Csr.fromDer(new byte[] {0x30, 0x03, 0x01, 0x02}));

        assertMessageContains(refused, "not a PKCS#10 request: ");
    }

    @Test
    void textInsteadOfDerIsRefused() {
        byte[] pem = "-----BEGIN CERTIFICATE REQUEST-----".getBytes(StandardCharsets.US_ASCII);

        InvalidCsrException refused = assertThrows(InvalidCsrException.class, () -> Csr.fromDer(pem));

        assertMessageContains(refused, "not a PKCS#10 request: ");
    }

    @Test
    void emptyCsrIsRefused() {
        InvalidCsrException refused = assertThrows(InvalidCsrException.class, () -> Csr.fromDer(new byte[0]));

        assertEquals("not a PKCS#10 request: empty", refused.getMessage());
    }

    @Test
    void csrWithRsaKeyIsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        PKCS10CertificationRequest csr = Csr.create(rsa.generateKeyPair(), "n1", null);

        InvalidCsrException refused = assertThrows(InvalidCsrException.class,
                () -> ca.issue(csr, "n1", Role.WORKER, TestCa.CLUSTER, Duration.ofDays(1), TestCa.CLOCK));

        assertEquals("invalid CSR: key must be ECDSA P-256, was RSA", refused.getMessage());
    }

    @Test
    void csrWithP384KeyIsRefused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        PKCS10CertificationRequest csr = Csr.create(ec.generateKeyPair(), "n1", null);

        InvalidCsrException refused = assertThrows(InvalidCsrException.class,
                () -> ca.issue(csr, "n1", Role.WORKER, TestCa.CLUSTER, Duration.ofDays(1), TestCa.CLOCK));

        assertMessageContains(refused, "invalid CSR: key must be ECDSA P-256, was EC on curve 1.3.132.0.34");
    }

    @Test
    void csrSignedByAnotherKeyIsRefused() {
        KeyPair claimed = Csr.newKeyPair();
        KeyPair signer = Csr.newKeyPair();
        PKCS10CertificationRequest forged = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=n1"), claimed.getPublic()).build(Certificates.signer(signer.getPrivate()));

        InvalidCsrException refused = assertThrows(InvalidCsrException.class,
                () -> ca.issue(forged, "n1", Role.WORKER, TestCa.CLUSTER, Duration.ofDays(1), TestCa.CLOCK));

        assertEquals("invalid CSR: signature does not verify with the request's own public key", refused.getMessage());
    }

    @Test
    void csrWithTamperedBytesIsRefused() {
        byte[] der = Csr.toDer(Csr.create(Csr.newKeyPair(), "node-1", null));
        der[der.length - 10] ^= 0x01; // inside the signature

        InvalidCsrException refused = assertThrows(InvalidCsrException.class, () -> ca.issue(
                Csr.fromDer(der), "n1", Role.WORKER, TestCa.CLUSTER, Duration.ofDays(1), TestCa.CLOCK));

        assertMessageContains(refused, "invalid CSR: signature");
    }
}
