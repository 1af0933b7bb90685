package dev.shoal.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void splitsOnBlanks() {
        assertEquals(List.of("sleep", "300"), ShellWords.split("  sleep   300 "));
    }

    @Test
    void quotesKeepBlanks() {
        assertEquals(List.of("sh", "-c", "echo hi; sleep 1"), ShellWords.split("sh -c 'echo hi; sleep 1'"));
        assertEquals(List.of("a \"b\" $c"), ShellWords.split("\"a \\\"b\\\" \\$c\""));
        assertEquals(List.of("ab c"), ShellWords.split("a'b c'"));
    }

    @Test
    void backslashEscapesOutsideQuotes() {
        assertEquals(List.of("a b"), ShellWords.split("a\\ b"));
    }

    @Test
    void emptyLineHasNoWords() {
        assertEquals(List.of(), ShellWords.split("   "));
        assertEquals(List.of(""), ShellWords.split("''"));
    }

    @Test
    void unclosedQuoteIsRefused() {
        assertEquals("EOF found when expecting closing quote",
                assertThrows(IllegalArgumentException.class, () -> ShellWords.split("sh -c 'oops")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("\"oops"));
    }

    @Test
    void trailingBackslashIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("a\\"));
    }
}
