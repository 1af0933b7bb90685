package dev.shoal.ca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's TLS identity: its private key, its certificate and the swarm root(s) it trusts.
 *
 * <p>There is more than one root during a CA rotation: the node trusts both the old and the new
 * root until every node holds a certificate from the new one. The certificate need not be issued
 * by one of the roots (the roots may be updated first), but when it is, that root is served after
 * it in the TLS chain ({@link #chain()}) so that a joining node can match it against its token.
 *
 * <h2>On disk</h2>
 * In a directory, with Docker's file names:
 * <ul>
 *   <li>{@value #KEY_FILE}: the private key, PKCS#8 PEM, mode 0600;
 *   <li>{@value #CERT_FILE}: the node certificate alone, PEM;
 *   <li>{@value #ROOTS_FILE}: the trusted root certificates, PEM, one after the other.
 * </ul>
 * {@value #CERT_FILE} is authoritative: a directory without it holds no credentials, whatever
 * else it contains. {@link #writeTo} stages all three files, then renames the roots, the key and
 * last the certificate; {@link #readFrom} completes a write that was interrupted between the key
 * and the certificate.
 *
 * <p>Immutable and thread-safe.
 */
public final class NodeCredentials {
    private static final Logger logger = LoggerFactory.getLogger(NodeCredentials.class);

    /** The private key file. */
    public static final String KEY_FILE = "swarm-node.key";
    /** The node certificate file; its presence means the directory holds credentials. */
    public static final String CERT_FILE = "swarm-node.crt";
    /** The trusted roots file. */
    public static final String ROOTS_FILE = "swarm-root-ca.crt";

    private static final String STAGED_SUFFIX = ".new";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final List<X509Certificate> roots;
    private final NodeIdentity identity;
    private final List<X509Certificate> chain;

    private NodeCredentials(PrivateKey key, X509Certificate certificate, List<X509Certificate> roots) {
        this.key = key;
        this.certificate = certificate;
        this.roots = roots;
        this.identity = NodeIdentity.of(certificate);
        X509Certificate issuer = Certificates.issuerAmong(certificate, roots);
        this.chain = issuer == null ? List.of(certificate) : List.of(certificate, issuer);
    }

    /**
     * Credentials from their parts.
     *
     * @throws IllegalArgumentException if {@code key} is not the certificate's key, the
     *     certificate's subject is not a node identity, there is no root, or a root is not a CA
     *     certificate
     */
    public static NodeCredentials of(PrivateKey key, X509Certificate certificate, List<X509Certificate> roots) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        List<X509Certificate> trusted = requireRoots(roots);
        if (!Certificates.keyMatches(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the private key does not match the certificate of '"
                    + certificate.getSubjectX500Principal().getName() + "'");
        }
        return new NodeCredentials(key, certificate, trusted);
    }

    /** The private key. */
    public PrivateKey key() {
        return key;
    }

    /** The node certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The trusted roots: one, or two during a CA rotation. */
    public List<X509Certificate> roots() {
        return roots;
    }

    /** The identity in the certificate. */
    public NodeIdentity identity() {
        return identity;
    }

    /** When the certificate expires. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The chain served in TLS: the certificate, then the root that issued it if it is a root here. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * The same key and roots with another certificate for that key (a renewal that kept the key,
     * or a role change).
     *
     * @throws IllegalArgumentException if the certificate is not for this key
     */
    public NodeCredentials withCertificate(X509Certificate newCertificate) {
        return of(key, newCertificate, roots);
    }

    /** The same key and certificate with other trusted roots (a CA rotation). */
    public NodeCredentials withRoots(List<X509Certificate> newRoots) {
        return new NodeCredentials(key, certificate, requireRoots(newRoots));
    }

    /**
     * Writes the three files into {@code directory}, creating it (mode 0700) if needed. Each file
     * is written and synced under a staging name, then renamed over the old one: the roots, the
     * key, and last the certificate, which is authoritative. Not to be called concurrently for
     * one directory.
     */
    public void writeTo(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        createDirectory(directory);
        Path roots = stage(directory, ROOTS_FILE, Pem.encodeCertificates(this.roots), WORLD_READABLE);
        Path key = stage(directory, KEY_FILE, Pem.encode(Pem.PRIVATE_KEY, this.key.getEncoded()), OWNER_ONLY);
        Path certificate = stage(directory, CERT_FILE, Pem.encodeCertificates(List.of(this.certificate)),
                WORLD_READABLE);
        commit(roots, directory.resolve(ROOTS_FILE));
        commit(key, directory.resolve(KEY_FILE));
        commit(certificate, directory.resolve(CERT_FILE));
        syncDirectory(directory);
        logger.debug("wrote credentials of node {} to {}", identity.nodeId(), directory);
    }

    /**
     * Reads credentials written by {@link #writeTo}.
     *
     * @return the credentials, or null if {@code directory} has no {@value #CERT_FILE}
     * @throws IOException if a file cannot be read or is corrupt, or the key does not match the
     *     certificate; the message names the file
     */
    public static NodeCredentials readFrom(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Path certificateFile = directory.resolve(CERT_FILE);
        if (!Files.exists(certificateFile)) {
            return null;
        }
        X509Certificate certificate = readCertificate(certificateFile);
        PrivateKey key = readKey(directory.resolve(KEY_FILE));
        List<X509Certificate> roots = readRoots(directory.resolve(ROOTS_FILE));
        if (!Certificates.keyMatches(key, certificate.getPublicKey())) {
            certificate = completeInterruptedWrite(directory, key, certificate);
        }
        try {
            return new NodeCredentials(key, certificate, roots);
        } catch (IllegalArgumentException e) {
            throw new IOException(certificateFile + ": not a node certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "NodeCredentials{node=" + identity.nodeId() + ", role=" + identity.role().ou()
                + ", cluster=" + identity.clusterId() + ", notAfter=" + notAfter() + ", roots=" + roots.size() + "}";
    }

    /**
     * The key was renamed into place but the certificate was not: the staged certificate is the
     * one that belongs to the key.
     */
    private static X509Certificate completeInterruptedWrite(Path directory, PrivateKey key, X509Certificate current)
            throws IOException {
        Path staged = directory.resolve(CERT_FILE + STAGED_SUFFIX);
        if (Files.exists(staged)) {
            X509Certificate pending = readCertificate(staged);
            if (Certificates.keyMatches(key, pending.getPublicKey())) {
                commit(staged, directory.resolve(CERT_FILE));
                syncDirectory(directory);
                logger.info("completed an interrupted credentials write in {}", directory);
                return pending;
            }
        }
        throw new IOException(directory.resolve(KEY_FILE) + " does not match the certificate in "
                + directory.resolve(CERT_FILE) + " ('" + current.getSubjectX500Principal().getName() + "')");
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
        List<X509Certificate> certificates = parse(file, text -> Pem.decodeCertificates(text, file.toString()));
        if (certificates.size() != 1) {
            throw new IOException(file + ": expected one certificate, found " + certificates.size());
        }
        return certificates.getFirst();
    }

    private static PrivateKey readKey(Path file) throws IOException {
        return parse(file, text -> Pem.decodePrivateKey(text, file.toString()));
    }

    private static List<X509Certificate> readRoots(Path file) throws IOException {
        List<X509Certificate> roots = parse(file, text -> Pem.decodeCertificates(text, file.toString()));
        try {
            return requireRoots(roots);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static <T> T parse(Path file, Function<String, T> parser) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException(
                    file + " is missing (" + CERT_FILE + " exists, so the credentials are incomplete)", e);
        } catch (CharacterCodingException e) {
            throw new IOException("corrupt " + file + ": not PEM text", e);
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> requireRoots(List<X509Certificate> roots) {
        Objects.requireNonNull(roots, "roots");
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted root certificate is required");
        }
        List<X509Certificate> copy = new ArrayList<>(roots.size());
        for (X509Certificate root : roots) {
            Objects.requireNonNull(root, "roots contains null");
            if (root.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("trusted root '" + root.getSubjectX500Principal().getName()
                        + "' is not a CA certificate");
            }
            copy.add(root);
        }
        return List.copyOf(copy);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void createDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (posix(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
        } else {
            Files.createDirectories(directory);
        }
    }

    private static Path stage(Path directory, String name, String content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path staged = directory.resolve(name + STAGED_SUFFIX);
        // Deleted first so that the permissions below apply: they are only set when a file is created.
        Files.deleteIfExists(staged);
        FileAttribute<?>[] attributes = posix(directory)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(staged,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        if (posix(directory)) {
            Files.setPosixFilePermissions(staged, permissions); // the umask may have narrowed them
        }
        return staged;
    }

    private static void commit(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the renames durable; not every platform can sync a directory, which is not an error. */
    private static void syncDirectory(Path directory) {
        if (!FileSystems.getDefault().equals(directory.getFileSystem())) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            logger.debug("cannot sync directory {}: {}", directory, e.toString());
        }
    }
}
