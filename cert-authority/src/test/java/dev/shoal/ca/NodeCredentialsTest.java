package dev.shoal.ca;

import static dev.shoal.ca.TestCa.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCredentialsTest {
    private final RootCa ca = RootCa.generate(TestCa.CLOCK);
    private final NodeCredentials node = TestCa.node(ca, "node-1", Role.WORKER);

    @TempDir
    Path dir;

    @Test
    void writeReadRoundTrip() throws IOException {
        node.writeTo(dir);

        NodeCredentials read = NodeCredentials.readFrom(dir);

        assertArrayEquals(node.key().getEncoded(), read.key().getEncoded());
        assertEquals(node.certificate(), read.certificate());
        assertEquals(node.roots(), read.roots());
        assertEquals(new NodeIdentity("node-1", Role.WORKER, TestCa.CLUSTER), read.identity());
        assertEquals(node.notAfter(), read.notAfter());
    }

    @Test
    void filesHaveDockersNamesAndContents() throws IOException {
        node.writeTo(dir);

        String key = Files.readString(dir.resolve("swarm-node.key"));
        String certificate = Files.readString(dir.resolve("swarm-node.crt"));
        String roots = Files.readString(dir.resolve("swarm-root-ca.crt"));
        assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----"), key);
        assertEquals(1, count(certificate, "-----BEGIN CERTIFICATE-----"));
        assertEquals(1, count(roots, "-----BEGIN CERTIFICATE-----"));
        assertEquals(List.of(), Files.list(dir).filter(p -> p.toString().endsWith(".new")).toList());
    }

    @Test
    void keyFileIsReadableByItsOwnerOnly() throws IOException {
        node.writeTo(dir);

        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("swarm-node.key"))));
        assertEquals("rw-r--r--",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("swarm-node.crt"))));
    }

    @Test
    void newDirectoryIsPrivate() throws IOException {
        Path nested = dir.resolve("certificates");

        node.writeTo(nested);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
    }

    @Test
    void directoryWithoutCertificateHasNoCredentials() throws IOException {
        Files.writeString(dir.resolve("swarm-node.key"), "left over");

        assertNull(NodeCredentials.readFrom(dir));
        assertNull(NodeCredentials.readFrom(dir.resolve("missing")));
    }

    @Test
    void overwriteReplacesEveryFile() throws IOException {
        node.writeTo(dir);
        NodeCredentials renewed = TestCa.node(ca, "node-1", Role.MANAGER)
                .withRoots(List.of(ca.certificate(), RootCa.generate(TestCa.CLOCK).certificate()));

        renewed.writeTo(dir);
        NodeCredentials read = NodeCredentials.readFrom(dir);

        assertEquals(renewed.certificate(), read.certificate());
        assertEquals(Role.MANAGER, read.identity().role());
        assertEquals(2, read.roots().size());
    }

    @Test
    void corruptCertificateFileIsReported() throws IOException {
        node.writeTo(dir);
        Files.writeString(dir.resolve("swarm-node.crt"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        IOException refused = assertThrows(IOException.class, () -> NodeCredentials.readFrom(dir));

        assertMessageContains(refused, "corrupt " + dir.resolve("swarm-node.crt"));
    }

    @Test
    void truncatedCertificateFileIsReported() throws IOException {
        node.writeTo(dir);
        String pem = Files.readString(dir.resolve("swarm-node.crt"));
        Files.writeString(dir.resolve("swarm-node.crt"), pem.substring(0, pem.length() / 2));

        IOException refused = assertThrows(IOException.class, () -> NodeCredentials.readFrom(dir));

        assertMessageContains(refused, "corrupt " + dir.resolve("swarm-node.crt"));
    }

    @Test
    void corruptKeyFileIsReported() throws IOException {
        node.writeTo(dir);
        Files.writeString(dir.resolve("swarm-node.key"), "not a key");

        IOException refused = assertThrows(IOException.class, () -> NodeCredentials.readFrom(dir));

        assertEquals("corrupt " + dir.resolve("swarm-node.key") + ": no PEM PRIVATE KEY block", refused.getMessage());
    }

    @Test
    void binaryGarbageIsReported() throws IOException {
        node.writeTo(dir);
        Files.write(dir.resolve("swarm-root-ca.crt"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});

        IOException refused = assertThrows(IOException.class, () -> NodeCredentials.readFrom(dir));

        assertMessageContains(refused, "corrupt " + dir.resolve("swarm-root-ca.crt"));
    }

    @Test
    void missingKeyFileIsReported() throws IOException {
        node.writeTo(dir);
        Files.delete(dir.resolve("swarm-node.key"));

        IOException refused = assertThrows(IOException.class, () -> NodeCredentials.readFrom(dir));

        assertMessageContains(refused, dir.resolve("swarm-node.key") + " is missing");
    }

    @Test
    void keyNotMatchingTheCertificateIsReported() throws IOException {
        node.writeTo(dir);
        String otherKey = Pem.encode(Pem.PRIVATE_KEY, Csr.newKeyPair().getPrivate().getEncoded());
        Files.writeString(dir.resolve("swarm-node.key"), otherKey, StandardCharsets.US_ASCII);

        IOException refused = assertThrows(IOException.class, () -> NodeCredentials.readFrom(dir));

        assertMessageContains(refused, dir.resolve("swarm-node.key") + " does not match the certificate in");
    }

    @Test
    void writeInterruptedBetweenKeyAndCertificateIsCompleted() throws IOException {
        node.writeTo(dir);
        NodeCredentials renewed = TestCa.node(ca, "node-1", Role.WORKER);
        // What a crash after renaming the key, before renaming the certificate, leaves behind.
        Files.writeString(dir.resolve("swarm-node.key"), Pem.encode(Pem.PRIVATE_KEY, renewed.key().getEncoded()));
        Files.writeString(dir.resolve("swarm-node.crt.new"), Pem.encodeCertificates(List.of(renewed.certificate())));

        NodeCredentials read = NodeCredentials.readFrom(dir);

        assertEquals(renewed.certificate(), read.certificate());
        assertFalse(Files.exists(dir.resolve("swarm-node.crt.new")));
        assertEquals(renewed.certificate(), NodeCredentials.readFrom(dir).certificate());
    }

    @Test
    void mismatchedKeyIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> NodeCredentials.of(Csr.newKeyPair().getPrivate(), node.certificate(), node.roots()));

        assertMessageContains(refused, "the private key does not match the certificate of 'CN=node-1");
    }

    @Test
    void credentialsNeedARoot() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> NodeCredentials.of(node.key(), node.certificate(), List.of()));

        assertEquals("at least one trusted root certificate is required", refused.getMessage());
    }

    @Test
    void aNodeCertificateIsNotARoot() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> node.withRoots(List.of(node.certificate())));

        assertMessageContains(refused, "is not a CA certificate");
    }

    @Test
    void withCertificateKeepsKeyAndRoots() {
        KeyPair keyPair = new KeyPair(node.certificate().getPublicKey(), node.key());
        X509Certificate promoted = ca.issue(Csr.create(keyPair, "node-1", null), "node-1", Role.MANAGER,
                TestCa.CLUSTER, Duration.ofDays(1), TestCa.CLOCK);

        NodeCredentials manager = node.withCertificate(promoted);

        assertEquals(Role.MANAGER, manager.identity().role());
        assertEquals(node.key(), manager.key());
        assertEquals(node.roots(), manager.roots());
        assertThrows(IllegalArgumentException.class,
                () -> node.withCertificate(TestCa.node(ca, "x", Role.WORKER).certificate()));
    }

    @Test
    void chainIsTheCertificateAndItsRoot() {
        RootCa other = RootCa.generate(TestCa.CLOCK);

        assertEquals(List.of(node.certificate(), ca.certificate()), node.chain());
        assertEquals(List.of(node.certificate(), ca.certificate()),
                node.withRoots(List.of(other.certificate(), ca.certificate())).chain());
        assertEquals(List.of(node.certificate()), node.withRoots(List.of(other.certificate())).chain());
    }

    @Test
    void toStringShowsNoKey() {
        String text = node.toString();

        assertTrue(text.contains("node=node-1"), text);
        assertFalse(text.toLowerCase(Locale.ROOT).contains("private"), text);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
