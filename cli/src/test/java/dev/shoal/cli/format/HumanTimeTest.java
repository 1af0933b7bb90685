package dev.shoal.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HumanTimeTest {
    @Test
    void wordsAsDockerPrintsThem() {
        assertEquals("Less than a second", HumanTime.duration(Duration.ofMillis(400)));
        assertEquals("1 second", HumanTime.duration(Duration.ofSeconds(1)));
        assertEquals("5 seconds", HumanTime.duration(Duration.ofSeconds(5)));
        assertEquals("About a minute", HumanTime.duration(Duration.ofSeconds(100)));
        assertEquals("3 minutes", HumanTime.duration(Duration.ofMinutes(3)));
        assertEquals("About an hour", HumanTime.duration(Duration.ofMinutes(70)));
        assertEquals("5 hours", HumanTime.duration(Duration.ofHours(5)));
        assertEquals("3 days", HumanTime.duration(Duration.ofDays(3)));
        assertEquals("3 weeks", HumanTime.duration(Duration.ofDays(21)));
        assertEquals("3 months", HumanTime.duration(Duration.ofDays(95)));
        assertEquals("2 years", HumanTime.duration(Duration.ofDays(800)));
    }

    @Test
    void agoIsLowerCase() {
        Instant now = Instant.parse("2026-01-01T00:00:10Z");
        assertEquals("5 seconds ago", HumanTime.ago(now.minusSeconds(5), now));
        assertEquals("less than a second ago", HumanTime.ago(now, now));
        assertEquals("about a minute ago", HumanTime.ago(now.minusSeconds(80), now));
    }

    @Test
    void aClockBehindTheDaemonSaysLessThanASecond() {
        Instant now = Instant.parse("2026-01-01T00:00:10Z");
        assertEquals("less than a second ago", HumanTime.ago(now.plusSeconds(3), now));
    }

    @Test
    void titleCase() {
        assertEquals("Running", HumanTime.title("running"));
        assertEquals("", HumanTime.title(null));
    }
}
