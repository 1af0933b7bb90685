package dev.shoal.ca;

import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Checks shared by the trust managers; every failure is a {@link CertificateException} with a reason. */
final class Chains {
    private static final String ANY_PURPOSE = "2.5.29.37.0";

    /** Which side of TLS a peer certificate must authenticate. */
    enum Purpose {
        CLIENT("1.3.6.1.5.5.7.3.2", "TLS client"),
        SERVER("1.3.6.1.5.5.7.3.1", "TLS server");

        final String oid;
        final String description;

        Purpose(String oid, String description) {
            this.oid = oid;
            this.description = description;
        }
    }

    private Chains() {}

    /**
     * Throws {@link CertificateExpiredException} or {@link CertificateNotYetValidException} (which
     * the JDK turns into the matching TLS alerts) unless {@code certificate} is valid at {@code now}.
     */
    static void checkValidity(X509Certificate certificate, Instant now, String what) throws CertificateException {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new CertificateExpiredException(what + " expired at " + certificate.getNotAfter().toInstant()
                    + " (now " + now + "; subject " + certificate.getSubjectX500Principal().getName() + ")");
        } catch (CertificateNotYetValidException e) {
            throw new CertificateNotYetValidException(what + " is not valid before "
                    + certificate.getNotBefore().toInstant() + " (now " + now + "; subject "
                    + certificate.getSubjectX500Principal().getName() + ")");
        }
    }

    /** Refuses a CA certificate as a node's, and a certificate whose extended key usage excludes {@code purpose}. */
    static void checkNodeCertificate(X509Certificate leaf, Purpose purpose) throws CertificateException {
        if (leaf.getBasicConstraints() >= 0) {
            throw new CertificateException("a CA certificate cannot identify a node (subject "
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
        List<String> usages = leaf.getExtendedKeyUsage();
        if (usages != null && !usages.contains(purpose.oid) && !usages.contains(ANY_PURPOSE)) {
            throw new CertificateException("certificate is not valid for " + purpose.description
                    + " authentication (extendedKeyUsage " + usages + ")");
        }
    }

    /** The identity in a verified certificate, with a parse failure as a {@link CertificateException}. */
    static NodeIdentity identity(X509Certificate leaf) throws CertificateException {
        try {
            return NodeIdentity.of(leaf);
        } catch (IllegalArgumentException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
