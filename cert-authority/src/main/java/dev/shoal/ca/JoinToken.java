package dev.shoal.ca;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A swarm join token, in Docker's format {@code SWMTKN-1-<ca digest>-<secret>}.
 *
 * <ul>
 *   <li>{@code ca digest}: SHA-256 of the root certificate's DER encoding, as a lower-case base-36
 *       number left-padded with {@code 0} to 50 characters. A joining node accepts a manager only
 *       if the manager's root hashes to this value ({@link TokenTrustManager}), so the token
 *       pins the CA and there is no trust on first use.
 *   <li>{@code secret}: 128 random bits as a lower-case base-36 number padded to 25 characters.
 * </ul>
 *
 * <p>The token does not name a role: the swarm keeps a manager secret and a worker secret, and the
 * role is the one whose secret matches ({@link #secretMatches}). (Docker hashes the PEM bundle of
 * the root; Shoal hashes the DER certificate, which has a single encoding.)
 *
 * <p>{@link #toString()} is the token text, secret included; do not log it.
 */
public record JoinToken(String caDigest, String secret) {
    /** The token prefix. */
    public static final String PREFIX = "SWMTKN";
    /** The only token version: {@code 1}. */
    public static final String VERSION = "1";
    /** Length of the CA digest part. */
    public static final int DIGEST_LENGTH = 50;
    /** Length of the secret part. */
    public static final int SECRET_LENGTH = 25;

    private static final int SECRET_BITS = 128;
    private static final int RADIX = 36;

    /**
     * Checks both parts.
     *
     * @throws InvalidJoinTokenException if the digest is not 50 or the secret not 25 lower-case
     *     base-36 characters
     */
    public JoinToken {
        if (caDigest == null || caDigest.length() != DIGEST_LENGTH || !isBase36(caDigest)) {
            throw new InvalidJoinTokenException(
                    "invalid join token: the CA digest must be " + DIGEST_LENGTH + " base-36 characters");
        }
        if (new BigInteger(caDigest, RADIX).bitLength() > 256) {
            throw new InvalidJoinTokenException("invalid join token: the CA digest is not a SHA-256 value");
        }
        if (secret == null || secret.length() != SECRET_LENGTH || !isBase36(secret)) {
            throw new InvalidJoinTokenException(
                    "invalid join token: the secret must be " + SECRET_LENGTH + " base-36 characters");
        }
    }

    /**
     * Parses the text of a token; whitespace around it (a pasted newline) is ignored.
     *
     * @throws InvalidJoinTokenException naming the part that is wrong; the message never contains
     *     the secret
     */
    public static JoinToken parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidJoinTokenException("invalid join token: empty");
        }
        String token = text.strip();
        if (!token.startsWith(PREFIX + "-")) {
            throw new InvalidJoinTokenException("invalid join token: must start with " + PREFIX + "-");
        }
        String[] parts = token.split("-", -1);
        if (parts.length >= 2 && !VERSION.equals(parts[1])) {
            throw new InvalidJoinTokenException(
                    "invalid join token: unsupported version " + printable(parts[1]) + " (expected " + VERSION + ")");
        }
        if (parts.length != 4) {
            throw new InvalidJoinTokenException("invalid join token: expected 4 parts separated by '-' "
                    + "(SWMTKN-1-<ca digest>-<secret>), found " + parts.length);
        }
        return new JoinToken(parts[2], parts[3]);
    }

    /** A new token for {@code ca} with a fresh 128-bit secret. */
    public static JoinToken generate(RootCa ca, SecureRandom random) {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(random, "random");
        return new JoinToken(ca.digest(), pad(new BigInteger(SECRET_BITS, random).toString(RADIX), SECRET_LENGTH));
    }

    /** The CA digest of a root certificate: SHA-256 of its DER encoding, 50 base-36 characters. */
    public static String digestOf(X509Certificate root) {
        Objects.requireNonNull(root, "root");
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(Certificates.encoded(root));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        return pad(new BigInteger(1, hash).toString(RADIX), DIGEST_LENGTH);
    }

    /** Whether {@code root} is the CA this token pins. */
    public boolean matchesCa(X509Certificate root) {
        return caDigest.equals(digestOf(root));
    }

    /**
     * Whether {@code otherSecret} equals this token's secret, compared in constant time so that
     * the comparison does not reveal how many leading characters were right.
     */
    public boolean secretMatches(String otherSecret) {
        if (otherSecret == null) {
            return false;
        }
        return MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.US_ASCII), otherSecret.getBytes(StandardCharsets.US_ASCII));
    }

    /** The token text, {@code SWMTKN-1-<ca digest>-<secret>}. */
    @Override
    public String toString() {
        return PREFIX + "-" + VERSION + "-" + caDigest + "-" + secret;
    }

    private static String pad(String digits, int length) {
        return "0".repeat(Math.max(0, length - digits.length())) + digits;
    }

    private static boolean isBase36(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** The version part for an error message: shown only when too short to be a leaked secret. */
    private static String printable(String version) {
        if (version.isEmpty()) {
            return "(empty)";
        }
        return version.length() <= 4 ? "'" + version + "'" : "(" + version.length() + " characters)";
    }
}
