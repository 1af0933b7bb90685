package dev.shoal.cli.command;

import java.util.List;
import java.util.function.Supplier;

/** Runs a {@code --format} rendering and turns a bad template into a {@link CliException}. */
final class FormatOption {
    private FormatOption() {}

    static List<String> render(Supplier<List<String>> rendering) {
        try {
            return rendering.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
