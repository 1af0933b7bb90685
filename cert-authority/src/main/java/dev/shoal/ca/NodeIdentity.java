package dev.shoal.ca;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Who a certificate says its holder is: the node id (CN), the role (OU) and the cluster id (O).
 *
 * <p>Only meaningful for a certificate that was verified against the swarm's root; the identity
 * of an unverified certificate is whatever its author wrote.
 */
public record NodeIdentity(String nodeId, Role role, String clusterId) {
    /** Checks that every field is present. */
    public NodeIdentity {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("node id must not be empty");
        }
        Objects.requireNonNull(role, "role");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("cluster id must not be empty");
        }
    }

    /**
     * The identity in {@code certificate}'s subject.
     *
     * @throws IllegalArgumentException if the subject lacks a CN, OU or O, has more than one of
     *     them, or its OU is not a swarm role
     */
    public static NodeIdentity of(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        String nodeId = single(subject, BCStyle.CN, "CN (node id)");
        String ou = single(subject, BCStyle.OU, "OU (role)");
        String clusterId = single(subject, BCStyle.O, "O (cluster id)");
        Role role;
        try {
            role = Role.fromOu(ou);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("certificate subject '" + subject + "': " + e.getMessage(), e);
        }
        return new NodeIdentity(nodeId, role, clusterId);
    }

    private static String single(X500Name subject, ASN1ObjectIdentifier type, String field) {
        List<String> values = new ArrayList<>(1);
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (!attribute.getType().equals(type)) {
                    continue;
                }
                if (!(attribute.getValue() instanceof ASN1String value)) {
                    throw new IllegalArgumentException(
                            "certificate subject '" + subject + "': " + field + " is not a string");
                }
                values.add(value.getString());
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("certificate subject '" + subject + "' has no " + field);
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("certificate subject '" + subject + "' has " + values.size()
                    + " " + field + " values; exactly one is required");
        }
        String value = values.getFirst();
        if (value.isBlank()) {
            throw new IllegalArgumentException("certificate subject '" + subject + "' has an empty " + field);
        }
        return value;
    }
}
