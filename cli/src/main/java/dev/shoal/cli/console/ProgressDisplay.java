package dev.shoal.cli.console;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A block of progress lines, each with an id ({@code overall progress}, {@code 1/3},
 * {@code verify}), shown as {@code id: text}. On a terminal the block is redrawn in place with ANSI
 * cursor movement, as {@code docker service create} does; elsewhere each line is printed again,
 * plainly, only when its text changes. Not thread-safe: one caller draws.
 */
public final class ProgressDisplay {
    /** One line of the block. */
    public record Line(String id, String text) {
        public String render() {
            return id + ": " + text;
        }
    }

    private static final String CURSOR_UP = "\u001b[%dA";
    private static final String CLEAR_LINE = "\u001b[2K";

    private final Output output;
    private final Map<String, String> lastPrinted = new HashMap<>();
    private List<Line> drawn = List.of();

    public ProgressDisplay(Output output) {
        this.output = output;
    }

    /** Shows {@code lines}, replacing the previous block. */
    public void show(List<Line> lines) {
        if (output.isTerminal()) {
            redraw(lines);
        } else {
            printChanged(lines);
        }
    }

    private void redraw(List<Line> lines) {
        if (lines.equals(drawn)) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        if (!drawn.isEmpty()) {
            sb.append(CURSOR_UP.formatted(drawn.size()));
        }
        for (Line line : lines) {
            sb.append(CLEAR_LINE).append(line.render()).append('\n');
        }
        // a shorter block than the last: blank the lines left over, then come back up
        int extra = drawn.size() - lines.size();
        for (int i = 0; i < extra; i++) {
            sb.append(CLEAR_LINE).append('\n');
        }
        if (extra > 0) {
            sb.append(CURSOR_UP.formatted(extra));
        }
        output.out().print(sb);
        output.out().flush();
        drawn = new ArrayList<>(lines);
    }

    private void printChanged(List<Line> lines) {
        for (Line line : lines) {
            if (!line.text().equals(lastPrinted.get(line.id()))) {
                lastPrinted.put(line.id(), line.text());
                output.out().println(line.render());
            }
        }
        output.out().flush();
    }
}
