package dev.shoal.ca;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Fixtures: a swarm CA and node credentials issued by it, with real keys. */
final class TestCa {
    static final String CLUSTER = "cluster-1";
    static final Clock CLOCK = Clock.systemUTC();

    private TestCa() {}

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** Credentials for a node of {@code ca}, with a fresh key and the CA as sole root. */
    static NodeCredentials node(RootCa ca, String nodeId, Role role) {
        return node(ca, nodeId, role, RenewalPolicy.DEFAULT_EXPIRY, CLOCK);
    }

    static NodeCredentials node(RootCa ca, String nodeId, Role role, Duration expiry, Clock clock) {
        KeyPair keyPair = Csr.newKeyPair();
        X509Certificate certificate =
                ca.issue(Csr.create(keyPair, nodeId, role.ou()), nodeId, role, CLUSTER, expiry, clock);
        return NodeCredentials.of(keyPair.getPrivate(), certificate, List.of(ca.certificate()));
    }

    /**
     * A certificate with whatever subject and CA flag a test needs, signed by {@code issuerKey}
     * under {@code issuerName}: for inputs the real CA never produces.
     */
    static X509Certificate certificate(X500Name issuerName, PrivateKey issuerKey, X500Name subject,
            PublicKey subjectKey, boolean isCa, Instant notBefore, Instant notAfter) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(System.nanoTime()),
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        var signer = new JcaContentSignerBuilder(Certificates.signatureAlgorithm(issuerKey)).build(issuerKey);
        return Certificates.toJdk(builder.build(signer));
    }

    /** A node certificate for {@code subject} signed by {@code ca}, bypassing {@link RootCa#issue}. */
    static X509Certificate nodeCertificate(RootCa ca, X500Name subject, PublicKey key) throws Exception {
        Instant now = Instant.now();
        return certificate(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                ca.privateKey(), subject, key, false, now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    }

    static void assertMessageContains(Throwable thrown, String expected) {
        String message = String.valueOf(thrown.getMessage());
        assertTrue(message.contains(expected),
                () -> "expected the message to contain \"" + expected + "\" but it was \"" + message + "\"");
    }
}
