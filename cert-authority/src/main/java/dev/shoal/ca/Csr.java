package dev.shoal.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Node key pairs and PKCS#10 certificate signing requests.
 *
 * <p>A node generates its key locally and sends only a CSR; the private key never leaves the
 * node. What the CSR's subject asks for is informational: {@link RootCa#issue} decides the node
 * id, role and cluster itself.
 */
public final class Csr {
    private static final String CURVE = "secp256r1";

    private Csr() {}

    /**
     * A new ECDSA P-256 key pair from the JDK's provider (SunEC), which the JDK TLS engine used by
     * Netty accepts.
     */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("this JDK cannot generate ECDSA P-256 keys: " + e.getMessage(), e);
        }
    }

    /**
     * A CSR for {@code keyPair}'s public key, signed with its private key.
     *
     * @param requestedCn the common name the node asks for (usually its node id); may be null
     * @param requestedOu the organizational unit the node asks for; may be null
     */
    public static PKCS10CertificationRequest create(KeyPair keyPair, String requestedCn, String requestedOu) {
        Objects.requireNonNull(keyPair, "keyPair");
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        if (requestedOu != null) {
            subject.addRDN(BCStyle.OU, requestedOu);
        }
        if (requestedCn != null) {
            subject.addRDN(BCStyle.CN, requestedCn);
        }
        return new JcaPKCS10CertificationRequestBuilder(subject.build(), keyPair.getPublic())
                .build(Certificates.signer(keyPair.getPrivate()));
    }

    /** The DER encoding of {@code csr}, as it travels to the CA. */
    public static byte[] toDer(PKCS10CertificationRequest csr) {
        Objects.requireNonNull(csr, "csr");
        try {
            return csr.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a CSR: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a DER PKCS#10 request. Its signature is not checked here; {@link RootCa#issue} does.
     *
     * @throws InvalidCsrException if {@code der} is empty or not a PKCS#10 request
     */
    public static PKCS10CertificationRequest fromDer(byte[] der) {
        if (der == null || der.length == 0) {
            throw new InvalidCsrException("not a PKCS#10 request: empty");
        }
        try {
            return new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("not a PKCS#10 request: " + e.getMessage(), e);
        }
    }

    /**
     * The CSR's public key, after checking that it is ECDSA P-256 and that the CSR is signed by
     * the matching private key (proof of possession).
     */
    static PublicKey verifiedP256Key(PKCS10CertificationRequest csr) {
        SubjectPublicKeyInfo info = csr.getSubjectPublicKeyInfo();
        if (info == null) {
            throw new InvalidCsrException("invalid CSR: it carries no public key");
        }
        ASN1Encodable curve = info.getAlgorithm().getParameters();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(curve)) {
            throw new InvalidCsrException("invalid CSR: key must be ECDSA P-256, was " + describe(info));
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidCsrException("invalid CSR: malformed public key: " + e.getMessage(), e);
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new InvalidCsrException("invalid CSR: signature cannot be checked: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new InvalidCsrException(
                    "invalid CSR: signature does not verify with the request's own public key");
        }
        return key;
    }

    private static String describe(SubjectPublicKeyInfo info) {
        var algorithm = info.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            return "EC on curve " + info.getAlgorithm().getParameters();
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return "RSA";
        }
        return "algorithm " + algorithm;
    }
}
