package dev.shoal.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofNanos(7), GoDuration.parse("7ns"));
        assertEquals(Duration.ofNanos(3_000), GoDuration.parse("3us"));
        assertEquals(Duration.ofNanos(3_000), GoDuration.parse("3µs"));
        assertEquals(Duration.ofMillis(500), GoDuration.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), GoDuration.parse("10s"));
        assertEquals(Duration.ofMinutes(2), GoDuration.parse("2m"));
        assertEquals(Duration.ofHours(1), GoDuration.parse("1h"));
    }

    @Test
    void parsesSequencesAndFractions() {
        assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
        assertEquals(Duration.ofMinutes(165), GoDuration.parse("2h45m"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1.5h"));
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
        assertEquals(Duration.ofMillis(-1500), GoDuration.parse("-1.5s"));
    }

    @Test
    void bareZeroNeedsNoUnit() {
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertEquals(Duration.ZERO, GoDuration.parse("0s"));
    }

    @Test
    void unknownUnitIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5x"));
        assertEquals("time: unknown unit \"x\" in duration \"5x\"", e.getMessage());
    }

    @Test
    void missingUnitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5"));
        assertEquals("time: missing unit in duration \"5\"", e.getMessage());
    }

    @Test
    void textWithoutNumberIsInvalid() {
        assertEquals("time: invalid duration \"abc\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("abc")).getMessage());
        assertEquals("time: invalid duration \"\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("")).getMessage());
        assertEquals("time: invalid duration \"1..5s\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1..5s")).getMessage());
        assertEquals("time: invalid duration \"-\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("-")).getMessage());
    }

    @Test
    void overflowIsInvalid() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("10000000h"));
    }

    @Test
    void formatsAsGo() {
        assertEquals("0s", GoDuration.format(Duration.ZERO));
        assertEquals("500ms", GoDuration.format(Duration.ofMillis(500)));
        assertEquals("10s", GoDuration.format(Duration.ofSeconds(10)));
        assertEquals("1m30s", GoDuration.format(Duration.ofSeconds(90)));
        assertEquals("3m0s", GoDuration.format(Duration.ofMinutes(3)));
        assertEquals("1h2m3.5s", GoDuration.format(Duration.ofMillis(3_723_500)));
        assertEquals("-1.5s", GoDuration.format(Duration.ofMillis(-1500)));
        assertEquals("1.5µs", GoDuration.format(Duration.ofNanos(1500)));
    }

    @Test
    void formatThenParseIsIdentity() {
        for (Duration d : new Duration[] {Duration.ofMillis(1), Duration.ofSeconds(61), Duration.ofHours(26).plusMillis(5)}) {
            assertEquals(d, GoDuration.parse(GoDuration.format(d)));
        }
    }
}
