package dev.shoal.cli.format;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Elapsed time in words, as Docker prints it ({@code docker/go-units.HumanDuration}). */
public final class HumanTime {
    private HumanTime() {}

    /** {@code Less than a second}, {@code 5 seconds}, {@code About a minute}, {@code 3 hours}, ... */
    public static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toSeconds() / 3600.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }

    /** {@code 5 seconds ago}, lower-case, as in the CURRENT STATE column of {@code service ps}. */
    public static String ago(Instant then, Instant now) {
        Duration elapsed = then == null ? Duration.ZERO : Duration.between(then, now);
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO;
        }
        return duration(elapsed).toLowerCase(Locale.ROOT) + " ago";
    }

    /** A wire name in title case, as Docker prints states: {@code running} becomes {@code Running}. */
    public static String title(String word) {
        if (word == null || word.isEmpty()) {
            return "";
        }
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
