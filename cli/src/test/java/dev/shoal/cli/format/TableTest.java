package dev.shoal.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAreTheLongestCellPlusThreeAndAtLeastTen() {
        List<String> lines = Table.of("ID", "NAME", "MODE", "REPLICAS", "IMAGE")
                .row("x3ti0erg11rj", "web", "replicated", "3/3", "nginx:latest")
                .lines();
        assertEquals(List.of(
                "ID             NAME      MODE         REPLICAS   IMAGE",
                "x3ti0erg11rj   web       replicated   3/3        nginx:latest"), lines);
    }

    @Test
    void trailingBlanksAreDropped() {
        List<String> lines = Table.of("A", "ERROR").row("x", "").lines();
        assertEquals("x", lines.get(1));
    }

    @Test
    void nullCellsPrintEmpty() {
        assertEquals("a" + " ".repeat(19) + "c", Table.of("H1", "H2", "H3").row("a", null, "c").lines().get(1));
    }

    @Test
    void widthCountsCodePoints() {
        List<String> lines = Table.of("NAME", "X").row(" \\_ web.1", "a").row("web…", "b").lines();
        assertEquals(" \\_ web.1   a", lines.get(1));
        assertEquals("web…        b", lines.get(2));
    }

    @Test
    void aRowOfTheWrongWidthIsABug() {
        assertThrows(IllegalArgumentException.class, () -> Table.of("A", "B").row("only one"));
    }
}
