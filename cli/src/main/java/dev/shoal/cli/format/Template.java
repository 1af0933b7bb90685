package dev.shoal.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.api.codec.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of Go's text/template that {@code --format} needs: text with actions {@code {{.}}},
 * {@code {{.Field.Sub}}}, {@code {{json .Field}}}, {@code {{upper .Field}}} and
 * {@code {{lower .Field}}}, evaluated against a JSON tree. A literal {@code \t} or {@code \n} in
 * the format becomes a tab or a newline, as in Docker. Immutable once parsed.
 */
public final class Template {
    private sealed interface Part permits Text, Action {}

    private record Text(String text) implements Part {}

    private record Action(String function, List<String> path, String source) implements Part {}

    private final List<Part> parts;
    private final String source;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException naming the position of a syntax error */
    public static Template parse(String format) {
        String text = format.replace("\\t", "\t").replace("\\n", "\n");
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                parts.add(new Text(text.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Text(text.substring(i, open)));
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("template: :1: unclosed action (missing \"}}\" after column " + (open + 1) + ")");
            }
            parts.add(action(text.substring(open + 2, close).strip()));
            i = close + 2;
        }
        return new Template(text, parts);
    }

    private static Action action(String body) {
        String[] words = body.split("\\s+");
        String function = null;
        String ref;
        if (words.length == 1) {
            ref = words[0];
        } else if (words.length == 2 && List.of("json", "upper", "lower").contains(words[0])) {
            function = words[0];
            ref = words[1];
        } else {
            throw new IllegalArgumentException("template: :1: unsupported action {{" + body + "}}: use {{.Field}}, {{json .Field}}, {{upper .Field}} or {{lower .Field}}");
        }
        if (!ref.startsWith(".")) {
            throw new IllegalArgumentException("template: :1: function \"" + ref + "\" not defined");
        }
        List<String> path = ref.equals(".") ? List.of() : List.of(ref.substring(1).split("\\."));
        return new Action(function, path, body);
    }

    /** The fields named at the top level of the template, in order ({@code .ID} gives {@code ID}). */
    public List<String> fields() {
        return parts.stream()
                .filter(p -> p instanceof Action a && !a.path().isEmpty())
                .map(p -> ((Action) p).path().getFirst())
                .toList();
    }

    /** @throws IllegalArgumentException when a field does not exist */
    public String execute(JsonNode data) {
        StringBuilder sb = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Text t -> sb.append(t.text());
                case Action a -> sb.append(evaluate(a, data));
            }
        }
        return sb.toString();
    }

    private static String evaluate(Action a, JsonNode data) {
        JsonNode node = data;
        for (String field : a.path()) {
            if (node == null || !node.isObject() || !node.has(field)) {
                throw new IllegalArgumentException("template: :1: executing \"\" at <." + String.join(".", a.path())
                        + ">: can't evaluate field " + field);
            }
            node = node.get(field);
        }
        if ("json".equals(a.function())) {
            try {
                return Json.mapper().writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("template: :1: cannot write JSON: " + e.getOriginalMessage());
            }
        }
        String value = scalar(node);
        if ("upper".equals(a.function())) {
            return value.toUpperCase(Locale.ROOT);
        }
        if ("lower".equals(a.function())) {
            return value.toLowerCase(Locale.ROOT);
        }
        return value;
    }

    private static String scalar(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "<no value>";
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        return node.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
