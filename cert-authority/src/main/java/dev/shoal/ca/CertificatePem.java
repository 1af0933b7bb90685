package dev.shoal.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Certificates as PEM text, for the API's messages (a node's certificate, the trusted roots) and
 * the store ({@code Swarm.TLSInfo}).
 */
public final class CertificatePem {
    private CertificatePem() {}

    /** The certificates as consecutive PEM blocks. */
    public static String encode(X509Certificate... certificates) {
        return Pem.encodeCertificates(List.of(certificates));
    }

    /**
     * Every certificate in {@code pem}, in order.
     *
     * @param source what is being read, for the error message
     * @throws IllegalArgumentException naming {@code source} when there is none or one does not decode
     */
    public static List<X509Certificate> decode(String pem, String source) {
        return Pem.decodeCertificates(pem, source);
    }
}
