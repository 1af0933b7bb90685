package dev.shoal.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM encoding and decoding of certificates and PKCS#8 private keys, with error messages that
 * name the source being read. Keys and certificates come out of the JDK's providers, never Bouncy
 * Castle's, so that they work with the JDK's TLS engine.
 */
final class Pem {
    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";

    private Pem() {}

    /** One PEM block of {@code type} around {@code der}, with a trailing newline. */
    static String encode(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** The certificates as consecutive PEM blocks. */
    static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            out.append(encode(CERTIFICATE, Certificates.encoded(certificate)));
        }
        return out.toString();
    }

    /**
     * Every {@code CERTIFICATE} block of {@code pem}, in order.
     *
     * @param source what is being read, for error messages ("swarm-root-ca.crt")
     * @throws IllegalArgumentException if there is no certificate, a block of another type, or a
     *     block that does not decode
     */
    static List<X509Certificate> decodeCertificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemObject block : blocks(pem, source)) {
            if (!CERTIFICATE.equals(block.getType())) {
                throw new IllegalArgumentException(
                        source + ": expected only CERTIFICATE blocks, found " + block.getType());
            }
            String which = source + " (certificate #" + (certificates.size() + 1) + ")";
            certificates.add(certificate(block.getContent(), which));
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(source + ": no PEM CERTIFICATE block");
        }
        return List.copyOf(certificates);
    }

    /**
     * The single private key in {@code pem}: PKCS#8 ({@code PRIVATE KEY}) or SEC1
     * ({@code EC PRIVATE KEY}).
     *
     * @throws IllegalArgumentException if there is no key, more than one, an encrypted key or a key
     *     that does not decode
     */
    static PrivateKey decodePrivateKey(String pem, String source) {
        PrivateKey key = null;
        for (PemObject block : blocks(pem, source)) {
            PrivateKeyInfo info = switch (block.getType()) {
                case PRIVATE_KEY -> privateKeyInfo(block.getContent(), source);
                case EC_PRIVATE_KEY -> sec1PrivateKeyInfo(block.getContent(), source);
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        source + ": encrypted private keys are not supported; decrypt it first");
                case CERTIFICATE -> null; // a key file may carry its certificate; it is not read here
                default -> throw new IllegalArgumentException(
                        source + ": unsupported PEM block " + block.getType()
                                + "; expected PRIVATE KEY (PKCS#8) or EC PRIVATE KEY");
            };
            if (info == null) {
                continue;
            }
            if (key != null) {
                throw new IllegalArgumentException(source + ": more than one private key");
            }
            key = privateKey(info, source);
        }
        if (key == null) {
            throw new IllegalArgumentException(source + ": no PEM PRIVATE KEY block");
        }
        return key;
    }

    static X509Certificate certificate(byte[] der, String source) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(source + ": not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    private static List<PemObject> blocks(String pem, String source) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException(source + ": empty");
        }
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": malformed PEM: " + e.getMessage(), e);
        }
        return blocks;
    }

    private static PrivateKeyInfo privateKeyInfo(byte[] der, String source) {
        try {
            return PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": PRIVATE KEY block is not PKCS#8: " + e.getMessage(), e);
        }
    }

    private static PrivateKeyInfo sec1PrivateKeyInfo(byte[] der, String source) {
        ECPrivateKey sec1;
        try {
            sec1 = ECPrivateKey.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": EC PRIVATE KEY block is not SEC1: " + e.getMessage(), e);
        }
        if (sec1.getParametersObject() == null) {
            throw new IllegalArgumentException(source + ": EC PRIVATE KEY block names no curve");
        }
        try {
            return new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, sec1.getParametersObject()), sec1);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": EC PRIVATE KEY block is not SEC1: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(PrivateKeyInfo info, String source) {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm;
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            algorithm = "EC";
        } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            algorithm = "RSA";
        } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            algorithm = "Ed25519";
        } else {
            throw new IllegalArgumentException(source + ": unsupported private key algorithm " + oid);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    source + ": invalid " + algorithm + " private key: " + e.getMessage(), e);
        }
    }
}
