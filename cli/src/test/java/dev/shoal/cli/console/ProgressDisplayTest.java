package dev.shoal.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.cli.console.ProgressDisplay.Line;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
    @Test
    void plainOutputPrintsOnlyChangedLinesWithoutEscapes() {
        StringWriter out = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(Output.to(new PrintWriter(out), new PrintWriter(new StringWriter()), false));
        display.show(List.of(new Line("overall progress", "0 out of 1 tasks"), new Line("1/1", "new")));
        display.show(List.of(new Line("overall progress", "0 out of 1 tasks"), new Line("1/1", "running")));
        assertEquals("overall progress: 0 out of 1 tasks\n1/1: new\n1/1: running\n", out.toString().replace(System.lineSeparator(), "\n"));
        assertFalse(out.toString().contains("\u001b"));
    }

    @Test
    void terminalOutputRedrawsTheBlockInPlace() {
        StringWriter out = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(Output.to(new PrintWriter(out), new PrintWriter(new StringWriter()), true));
        display.show(List.of(new Line("a", "1"), new Line("b", "2")));
        display.show(List.of(new Line("a", "1"), new Line("b", "3")));
        String s = out.toString();
        assertTrue(s.contains("\u001b[2A"), "moves up over the two lines drawn");
        assertTrue(s.endsWith("\u001b[2Ka: 1\n\u001b[2Kb: 3\n"));
    }

    @Test
    void aShorterBlockBlanksTheLinesLeftOver() {
        StringWriter out = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(Output.to(new PrintWriter(out), new PrintWriter(new StringWriter()), true));
        display.show(List.of(new Line("a", "1"), new Line("b", "2"), new Line("c", "3")));
        display.show(List.of(new Line("a", "1")));
        assertTrue(out.toString().endsWith("\u001b[3A\u001b[2Ka: 1\n\u001b[2K\n\u001b[2K\n\u001b[2A"));
    }
}
