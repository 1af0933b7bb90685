package dev.shoal.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The swarm's root certificate authority: a self-signed certificate and its private key, which
 * issue every node certificate.
 *
 * <p>Node certificates carry the identity the CA chooses, never the one a node asks for: subject
 * {@code CN=<node id>, OU=swarm-manager|swarm-worker, O=<cluster id>}, usable for both TLS server
 * and client authentication, valid from one minute before issue (clock skew) for the requested
 * expiry, but never beyond the root's own notAfter.
 *
 * <p>Immutable and thread-safe; {@link #issue} may be called concurrently.
 */
public final class RootCa {
    private static final Logger logger = LoggerFactory.getLogger(RootCa.class);

    /** The root's common name, as Docker names it. */
    public static final String ROOT_CN = "swarm-ca";
    /** How long a generated root is valid. */
    public static final int ROOT_VALIDITY_YEARS = 20;

    private static final Duration ROOT_BACKDATE = Duration.ofHours(1);
    private static final Duration NODE_BACKDATE = Duration.ofMinutes(1);
    private static final int MAX_NAME_LENGTH = 64; // X.520 upper bound of CN and O
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String digest;
    private final SecureRandom random = new SecureRandom();

    private RootCa(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.digest = JoinToken.digestOf(certificate);
    }

    /**
     * A new ECDSA P-256 root, {@code CN=swarm-ca}, valid for 20 years from one hour before
     * {@code clock}'s now.
     */
    public static RootCa generate(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        KeyPair keyPair = Csr.newKeyPair();
        Instant now = clock.instant();
        Instant notAfter = now.atOffset(ZoneOffset.UTC).plusYears(ROOT_VALIDITY_YEARS).toInstant();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, ROOT_CN).build();
        SecureRandom random = new SecureRandom();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                Certificates.randomSerial(random),
                Certificates.toDate(now.minus(ROOT_BACKDATE)),
                Certificates.toDate(notAfter),
                subject,
                keyPair.getPublic());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the root certificate: " + e.getMessage(), e);
        }
        X509Certificate root = Certificates.toJdk(builder.build(Certificates.signer(keyPair.getPrivate())));
        RootCa ca = new RootCa(root, keyPair.getPrivate());
        logger.info("generated a new root CA {} valid until {}", ca.digest, notAfter);
        return ca;
    }

    /**
     * An operator's own root, checked as by {@link #of(X509Certificate, PrivateKey, Clock)} at the
     * system clock.
     */
    public static RootCa of(X509Certificate certificate, PrivateKey privateKey) {
        return of(certificate, privateKey, Clock.systemUTC());
    }

    /**
     * An operator's own root.
     *
     * @throws IllegalArgumentException naming the failed check if {@code certificate} is not a CA
     *     certificate, may not sign certificates, is not self-signed, is not valid at
     *     {@code clock}'s now, or {@code privateKey} is not its key
     */
    public static RootCa of(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(clock, "clock");
        String subject = certificate.getSubjectX500Principal().getName();
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("root CA certificate '" + subject
                    + "' is not a CA certificate (basicConstraints CA:true is missing)");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= 5 || !keyUsage[5])) {
            throw new IllegalArgumentException("root CA certificate '" + subject
                    + "' may not sign certificates (keyUsage lacks keyCertSign)");
        }
        if (!Certificates.isSelfSigned(certificate)) {
            throw new IllegalArgumentException("root CA certificate '" + subject
                    + "' is not self-signed (issuer '" + certificate.getIssuerX500Principal().getName() + "')");
        }
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException("root CA certificate '" + subject + "' expired at "
                    + certificate.getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException("root CA certificate '" + subject + "' is not valid before "
                    + certificate.getNotBefore().toInstant(), e);
        }
        Certificates.signatureAlgorithm(privateKey); // refuses key types the CA cannot sign with
        if (!Certificates.keyMatches(privateKey, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the private key does not match root CA certificate '" + subject
                    + "' (a probe signed with the key does not verify with the certificate's "
                    + certificate.getPublicKey().getAlgorithm() + " public key)");
        }
        return new RootCa(certificate, privateKey);
    }

    /**
     * A root from PEM text: a {@code CERTIFICATE} block and a private key block (PKCS#8
     * {@code PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}), checked as by {@link #of}.
     */
    public static RootCa fromPem(String certificatePem, String privateKeyPem) {
        List<X509Certificate> certificates = Pem.decodeCertificates(certificatePem, "root CA certificate PEM");
        if (certificates.size() != 1) {
            throw new IllegalArgumentException(
                    "root CA certificate PEM: expected one certificate, found " + certificates.size());
        }
        return of(certificates.getFirst(), Pem.decodePrivateKey(privateKeyPem, "root CA key PEM"));
    }

    /** The root certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The root's private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The root's digest as written in join tokens ({@link JoinToken#digestOf}). */
    public String digest() {
        return digest;
    }

    /** The root certificate as one PEM {@code CERTIFICATE} block. */
    public String certificatePem() {
        return Pem.encode(Pem.CERTIFICATE, Certificates.encoded(certificate));
    }

    /** The private key as one PKCS#8 PEM {@code PRIVATE KEY} block. */
    public String privateKeyPem() {
        return Pem.encode(Pem.PRIVATE_KEY, privateKey.getEncoded());
    }

    /**
     * Issues a node certificate for the key in {@code csr}.
     *
     * <p>The CSR's subject is ignored: the certificate says {@code CN=nodeId, OU=role.ou(),
     * O=clusterId}, with subject alternative names {@code nodeId} and the role's OU.
     *
     * @param expiry how long the certificate lives; at least {@link RenewalPolicy#MIN_EXPIRY}.
     *     It is cut short at the root's own notAfter.
     * @throws InvalidCsrException if the CSR's signature does not verify or its key is not ECDSA
     *     P-256
     * @throws IllegalArgumentException if the node id, cluster id or expiry is invalid
     * @throws IllegalStateException if the root is not valid at {@code clock}'s now
     */
    public X509Certificate issue(PKCS10CertificationRequest csr, String nodeId, Role role, String clusterId,
            Duration expiry, Clock clock) {
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(clock, "clock");
        requireNodeId(nodeId);
        requireClusterId(clusterId);
        RenewalPolicy.requireValidExpiry(expiry);
        PublicKey nodeKey = Csr.verifiedP256Key(csr);

        Instant now = clock.instant();
        Instant rootNotAfter = certificate.getNotAfter().toInstant();
        if (now.isAfter(rootNotAfter) || now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new IllegalStateException("the root CA " + digest + " is not valid at " + now
                    + " (valid " + certificate.getNotBefore().toInstant() + " to " + rootNotAfter + ")");
        }
        Instant notAfter = now.plus(expiry);
        if (notAfter.isAfter(rootNotAfter)) {
            notAfter = rootNotAfter;
        }

        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, clusterId)
                .addRDN(BCStyle.OU, role.ou())
                .addRDN(BCStyle.CN, nodeId)
                .build();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                certificate,
                Certificates.randomSerial(random),
                Certificates.toDate(now.minus(NODE_BACKDATE)),
                Certificates.toDate(notAfter),
                subject,
                nodeKey);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, nodeId), new GeneralName(GeneralName.dNSName, role.ou())
                    }))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(nodeKey));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a node certificate: " + e.getMessage(), e);
        }
        X509Certificate issued = Certificates.toJdk(builder.build(Certificates.signer(privateKey)));
        logger.debug("issued a {} certificate for node {} (CSR asked for '{}'), valid until {}",
                role.ou(), nodeId, csr.getSubject(), notAfter);
        return issued;
    }

    @Override
    public String toString() {
        return "RootCa{digest=" + digest + ", notAfter=" + certificate.getNotAfter().toInstant() + "}";
    }

    private static void requireNodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty()) {
            throw new IllegalArgumentException("invalid node id: must not be empty");
        }
        if (nodeId.length() > MAX_NAME_LENGTH || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("invalid node id '" + nodeId + "': must be 1 to " + MAX_NAME_LENGTH
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static void requireClusterId(String clusterId) {
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("invalid cluster id: must not be empty");
        }
        if (clusterId.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("invalid cluster id: must be at most " + MAX_NAME_LENGTH
                    + " characters, was " + clusterId.length());
        }
        if (clusterId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("invalid cluster id: must not contain control characters");
        }
    }
}
