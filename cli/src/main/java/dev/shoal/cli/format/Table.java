package dev.shoal.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligned text columns as Docker's CLI prints them (Go's {@code tabwriter} with minimum width 10
 * and padding 3): every column but the last is as wide as its longest cell plus 3, and at least
 * 10; trailing blanks are dropped. Cell widths count code points, so that {@code \_} and
 * {@code …} align.
 */
public final class Table {
    static final int MIN_WIDTH = 10;
    static final int PADDING = 3;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    public static Table of(String... headers) {
        return new Table(List.of(headers));
    }

    public static Table of(List<String> headers) {
        return new Table(headers);
    }

    /** Adds a row; a null cell prints empty. */
    public Table row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, the table " + headers.size() + " columns");
        }
        rows.add(cells.stream().map(c -> c == null ? "" : c).toList());
        return this;
    }

    public Table row(String... cells) {
        return row(java.util.Arrays.asList(cells));
    }

    /** The header line followed by one line per row. */
    public List<String> lines() {
        int columns = headers.size();
        int[] widths = new int[columns];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int c = 0; c < columns - 1; c++) {
                widths[c] = Math.max(widths[c], Math.max(MIN_WIDTH, width(r.get(c)) + PADDING));
            }
        }
        List<String> out = new ArrayList<>(all.size());
        for (List<String> r : all) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = r.get(c);
                sb.append(cell);
                if (c < columns - 1) {
                    sb.repeat(' ', widths[c] - width(cell));
                }
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }

    static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
