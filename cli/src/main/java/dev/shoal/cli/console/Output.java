package dev.shoal.cli.console;

import java.io.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where the CLI prints: the only class that touches {@code System.out} and {@code System.err}.
 * Commands print results to {@link #out()} and errors to {@link #err()}; tests give their own
 * writers. {@link #isTerminal()} says whether standard output is a terminal, which decides
 * whether progress is redrawn in place or printed line by line.
 */
public final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;

    private Output(PrintWriter out, PrintWriter err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** The process's standard output and error. */
    public static Output system() {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return new Output(
                new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                terminal);
    }

    /** Output to the given writers, e.g. {@link StringWriter}s in tests. */
    public static Output to(PrintWriter out, PrintWriter err, boolean terminal) {
        return new Output(out, err, terminal);
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean isTerminal() {
        return terminal;
    }

    public void println(String line) {
        out.println(line);
        out.flush();
    }

    public void printLines(List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }

    public void error(String line) {
        err.println(line);
        err.flush();
    }
}
