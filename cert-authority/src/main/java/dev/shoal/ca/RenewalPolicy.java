package dev.shoal.ca;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a node renews its certificate, and how long certificates live.
 *
 * <p>As in Docker, a node renews at a random moment between 50% and 80% of its certificate's
 * lifetime: early enough that a manager outage of a few days does not strand it, and random so
 * that the nodes of a swarm created together do not all renew at the same instant.
 */
public final class RenewalPolicy {
    /** Node certificate lifetime when the swarm's configuration does not say: 90 days. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(90);
    /** The shortest node certificate lifetime the CA issues: 1 hour, Docker's minimum. */
    public static final Duration MIN_EXPIRY = Duration.ofHours(1);

    private static final double EARLIEST = 0.5;
    private static final double LATEST = 0.8;

    private RenewalPolicy() {}

    /**
     * A uniformly random instant between 50% and 80% of the way from the certificate's notBefore
     * to its notAfter.
     */
    public static Instant nextRenewal(X509Certificate certificate, RandomGenerator random) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(random, "random");
        Instant notBefore = certificate.getNotBefore().toInstant();
        long lifetimeMillis = Duration.between(notBefore, certificate.getNotAfter().toInstant()).toMillis();
        if (lifetimeMillis <= 0) {
            return notBefore;
        }
        long earliest = (long) (lifetimeMillis * EARLIEST);
        long latest = (long) (lifetimeMillis * LATEST);
        long offset = earliest == latest ? earliest : random.nextLong(earliest, latest + 1);
        return notBefore.plusMillis(offset);
    }

    /**
     * Checks a requested certificate lifetime.
     *
     * @throws IllegalArgumentException if {@code expiry} is shorter than {@link #MIN_EXPIRY}
     */
    static Duration requireValidExpiry(Duration expiry) {
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.compareTo(MIN_EXPIRY) < 0) {
            throw new IllegalArgumentException("cert expiry must be at least 1h, was " + expiry);
        }
        return expiry;
    }
}
