package dev.shoal.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void renewalFallsBetweenHalfAndFourFifthsOfTheLifetime() {
        RootCa ca = RootCa.generate(TestCa.clockAt(NOW));
        X509Certificate certificate =
                TestCa.node(ca, "n1", Role.WORKER, RenewalPolicy.DEFAULT_EXPIRY, TestCa.clockAt(NOW)).certificate();
        Instant notBefore = certificate.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, certificate.getNotAfter().toInstant());
        Instant earliest = notBefore.plus(lifetime.multipliedBy(5).dividedBy(10));
        Instant latest = notBefore.plus(lifetime.multipliedBy(8).dividedBy(10));
        SplittableRandom random = new SplittableRandom(42);

        Instant min = Instant.MAX;
        Instant max = Instant.MIN;
        for (int i = 0; i < 10_000; i++) {
            Instant renewal = RenewalPolicy.nextRenewal(certificate, random);
            assertTrue(!renewal.isBefore(earliest) && !renewal.isAfter(latest), renewal::toString);
            min = renewal.isBefore(min) ? renewal : min;
            max = renewal.isAfter(max) ? renewal : max;
        }
        // Uniform over 27 days: 10 000 samples come within a few hours of both ends.
        assertTrue(Duration.between(earliest, min).compareTo(Duration.ofHours(6)) < 0, min::toString);
        assertTrue(Duration.between(max, latest).compareTo(Duration.ofHours(6)) < 0, max::toString);
    }

    @Test
    void sameSeedGivesSameRenewal() {
        RootCa ca = RootCa.generate(TestCa.clockAt(NOW));
        X509Certificate certificate =
                TestCa.node(ca, "n1", Role.WORKER, Duration.ofHours(1), TestCa.clockAt(NOW)).certificate();

        assertEquals(RenewalPolicy.nextRenewal(certificate, new SplittableRandom(7)),
                RenewalPolicy.nextRenewal(certificate, new SplittableRandom(7)));
    }

    @Test
    void defaults() {
        assertEquals(Duration.ofDays(90), RenewalPolicy.DEFAULT_EXPIRY);
        assertEquals(Duration.ofHours(1), RenewalPolicy.MIN_EXPIRY);
    }
}
