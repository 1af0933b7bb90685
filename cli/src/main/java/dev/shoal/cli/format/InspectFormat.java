package dev.shoal.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.shoal.api.codec.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code inspect} commands print objects, as Docker does: by default a JSON array indented
 * with four spaces; with {@code --format json} one compact JSON object per line; with a template
 * one line per object.
 */
public final class InspectFormat {
    private static final ObjectWriter DOCKER_PRETTY = Json.mapper().writer(dockerPrettyPrinter());

    private InspectFormat() {}

    /** @throws IllegalArgumentException when the template is malformed or names an unknown field */
    public static List<String> render(List<?> objects, String format) {
        if (format == null || format.isBlank()) {
            return List.of(pretty(objects));
        }
        if (format.strip().equals("json")) {
            return objects.stream().map(Json::writeString).toList();
        }
        Template template = Template.parse(format);
        List<String> lines = new ArrayList<>();
        for (Object o : objects) {
            lines.add(template.execute(Json.mapper().valueToTree(o)));
        }
        return lines;
    }

    /** {@code value} as Docker prints JSON: four-space indent, {@code "Key": value}, {@code []}. */
    public static String pretty(Object value) {
        try {
            return DOCKER_PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static DefaultPrettyPrinter dockerPrettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withArrayEmptySeparator("")
                .withObjectEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentArraysWith(indenter);
        printer.indentObjectsWith(indenter);
        return printer;
    }
}
