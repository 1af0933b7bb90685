package dev.shoal.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Small certificate checks shared by the CA, the credentials and the trust managers. All crypto
 * goes through the JDK's providers: Bouncy Castle only builds and parses ASN.1 here and is never
 * registered as a JCA provider (that would be process-wide mutable state).
 */
final class Certificates {
    private static final byte[] PROBE = "shoal key-match probe".getBytes(StandardCharsets.US_ASCII);

    private Certificates() {}

    /** The JCA signature algorithm to sign with {@code key}: SHA-256 with ECDSA for P-256 keys. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> {
                int bits = key instanceof ECKey ec ? ec.getParams().getOrder().bitLength() : 256;
                yield bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
            }
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException(
                    "unsupported signing key algorithm " + key.getAlgorithm() + "; expected EC, RSA or Ed25519");
        };
    }

    /** A Bouncy Castle content signer over the JDK's {@link Signature} for {@code key}. */
    static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** The JDK {@link X509Certificate} for a certificate Bouncy Castle just built. */
    static X509Certificate toJdk(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot decode a certificate just built: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} is the private half of {@code publicKey}: signs a probe and verifies it. */
    static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            String algorithm = signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code certificate} names itself as issuer and verifies with its own key. */
    static boolean isSelfSigned(X509Certificate certificate) {
        return signedBy(certificate, certificate);
    }

    /** Whether {@code issuer} issued {@code certificate}: names match and the signature verifies. */
    static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The first of {@code roots} that issued {@code certificate}, or null. */
    static X509Certificate issuerAmong(X509Certificate certificate, List<X509Certificate> roots) {
        for (X509Certificate root : roots) {
            if (signedBy(certificate, root)) {
                return root;
            }
        }
        return null;
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** A positive random serial number of 128 bits, as RFC 5280 recommends (at most 20 octets). */
    static BigInteger randomSerial(SecureRandom random) {
        return new BigInteger(128, random).setBit(127);
    }

    /** X.509 times have second precision; truncate so that what is written is what is read back. */
    static Date toDate(Instant instant) {
        return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
