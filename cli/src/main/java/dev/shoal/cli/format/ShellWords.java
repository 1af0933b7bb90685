package dev.shoal.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell would, without expansion: what Docker does
 * for {@code --entrypoint} and {@code service update --args}. Single quotes keep everything;
 * double quotes keep everything but {@code \"}, {@code \\}, {@code \$} and {@code \`}; a
 * backslash outside quotes escapes the next character.
 */
public final class ShellWords {
    private ShellWords() {}

    /** @throws IllegalArgumentException when a quote is not closed or the line ends in a backslash */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char ch = line.charAt(i);
            if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (ch == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("EOF found when expecting closing quote");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (ch == '"') {
                i++;
                boolean closed = false;
                while (i < line.length()) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("EOF found when expecting closing quote");
                }
                inWord = true;
            } else if (ch == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("EOF found after escape character");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(ch);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
