package dev.shoal.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * perf/RESULTS.md: one table with a row per figure, rows of figures measured in this run replaced
 * and the others kept (each row carries its own date), and a free-text section of the last run's
 * details between two markers.
 */
public final class ResultsTable {
    /** The figures, in the order the table lists them. */
    public static final List<String> FIGURES = List.of(
            "converge.replicas.1", "converge.replicas.10", "converge.replicas.50", "heal.kill5of10",
            "api.latency.p50", "api.latency.p99", "raft1.writes.per.s",
            "failover.median", "failover.max", "raft3.writes.per.s", "join.seconds",
            "update.50.parallel5.seconds", "scheduler.placements.per.s.1000nodes", "scheduler.placements.per.s.5000nodes");

    private static final String HEADER = "| figure | Shoal | reference | reference's value | ratio | date | command |";
    private static final String RULE = "| --- | --- | --- | --- | --- | --- | --- |";
    private static final String DETAILS_START = "<!-- details:start -->";
    private static final String DETAILS_END = "<!-- details:end -->";

    /** One row; values are already formatted with their unit. */
    public record Row(String figure, String shoal, String reference, String referenceValue, String ratio, String date, String command) {
        String markdown() {
            return "| `" + figure + "` | " + shoal + " | " + reference + " | " + referenceValue + " | " + ratio + " | " + date
                    + " | `" + command + "` |";
        }
    }

    private ResultsTable() {}

    /** Rows of an existing file, by figure; empty when there is no file. */
    public static Map<String, Row> read(Path file) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
            if (cells.length != 7) {
                continue;
            }
            String figure = strip(cells[0]);
            rows.put(figure, new Row(figure, cells[1].trim(), cells[2].trim(), cells[3].trim(), cells[4].trim(), cells[5].trim(),
                    strip(cells[6])));
        }
        return rows;
    }

    private static String strip(String cell) {
        String c = cell.trim();
        return c.startsWith("`") && c.endsWith("`") ? c.substring(1, c.length() - 1) : c;
    }

    /** The existing details section, or empty. */
    public static String readDetails(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        String s = Files.readString(file);
        int a = s.indexOf(DETAILS_START);
        int b = s.indexOf(DETAILS_END);
        return a < 0 || b < a ? "" : s.substring(a + DETAILS_START.length(), b).strip();
    }

    /** The text between the title and the table, or empty. */
    public static String readIntro(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        StringBuilder intro = new StringBuilder();
        for (int i = 1; i < lines.size() && !lines.get(i).startsWith("| figure"); i++) {
            intro.append(lines.get(i)).append('\n');
        }
        return intro.toString().strip();
    }

    /** Rewrites the file with {@code updates} merged over its rows, and {@code details} when not null. */
    public static void write(Path file, Map<String, Row> updates, String intro, String details) throws IOException {
        Map<String, Row> rows = read(file);
        rows.putAll(updates);
        String keptDetails = details != null ? details : readDetails(file);
        List<String> out = new ArrayList<>();
        out.add("# Performance results");
        out.add("");
        out.add(intro.strip());
        out.add("");
        out.add(HEADER);
        out.add(RULE);
        for (String f : FIGURES) {
            if (rows.containsKey(f)) {
                out.add(rows.get(f).markdown());
            }
        }
        rows.keySet().stream().filter(f -> !FIGURES.contains(f)).forEach(f -> out.add(rows.get(f).markdown()));
        out.add("");
        out.add("Ratio = Shoal ÷ reference in every row: below 1 is better for Shoal for times and latencies, above 1 is"
                + " better for Shoal for throughput. The aim is a ratio of 0.5 or less for `converge.*` and `heal.*`.");
        out.add("");
        out.add(DETAILS_START);
        out.add(keptDetails);
        out.add(DETAILS_END);
        Files.writeString(file, String.join("\n", out) + "\n");
    }
}
