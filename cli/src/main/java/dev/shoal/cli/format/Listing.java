package dev.shoal.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.api.codec.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rows of a listing command ({@code service ls}, {@code service ps}, {@code node ls}) and the
 * ways Docker prints them with {@code --format}: {@code table} (the default, aligned columns),
 * {@code json} (one JSON object per row, keyed by field name), {@code table TEMPLATE} (aligned
 * columns of a template, headed by the fields' headers) or a bare {@code TEMPLATE} per row.
 */
public final class Listing {
    /**
     * One column: the field name used by templates and JSON, its table header, and how the
     * default table shows a row's value (e.g. {@code node ls} marks the current node with {@code *}).
     */
    public record Column(String field, String header, Function<Map<String, Object>, String> display) {}

    private final List<Column> columns;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    private Listing(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public static Listing of(Column... columns) {
        return new Listing(List.of(columns));
    }

    public static Column column(String field, String header) {
        return new Column(field, header, row -> text(row.get(field)));
    }

    public static Column column(String field, String header, Function<Map<String, Object>, String> display) {
        return new Column(field, header, display);
    }

    /**
     * Adds a row: one value per column, in column order; extra trailing values are fields that
     * only {@code json} and templates see (e.g. {@code Self} of {@code node ls}).
     */
    public Listing row(Map<String, Object> fields) {
        rows.add(new LinkedHashMap<>(fields));
        return this;
    }

    /**
     * The lines to print.
     *
     * @param format null, {@code table}, {@code json}, {@code table TEMPLATE} or {@code TEMPLATE}
     * @throws IllegalArgumentException when the template is malformed or names an unknown field
     */
    public List<String> render(String format) {
        if (format == null || format.isBlank() || format.strip().equals("table")) {
            Table table = Table.of(columns.stream().map(Column::header).toList());
            for (Map<String, Object> row : rows) {
                table.row(columns.stream().map(c -> c.display().apply(row)).toList());
            }
            return table.lines();
        }
        if (format.strip().equals("json")) {
            return rows.stream().map(Json::writeString).toList();
        }
        if (format.startsWith("table ")) {
            String body = format.substring("table ".length());
            List<Template> cells = java.util.Arrays.stream(body.replace("\\t", "\t").split("\t", -1)).map(Template::parse).toList();
            Table table = Table.of(cells.stream().map(t -> t.execute(headerTree())).toList());
            for (Map<String, Object> row : rows) {
                JsonNode tree = Json.mapper().valueToTree(row);
                table.row(cells.stream().map(t -> t.execute(tree)).toList());
            }
            return table.lines();
        }
        Template template = Template.parse(format);
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            lines.add(template.execute(Json.mapper().valueToTree(row)));
        }
        return lines;
    }

    private JsonNode headerTree() {
        ObjectNode headers = Json.mapper().createObjectNode();
        for (Column c : columns) {
            headers.put(c.field(), c.header());
        }
        if (!rows.isEmpty()) {
            for (String field : rows.getFirst().keySet()) {
                if (!headers.has(field)) {
                    headers.put(field, field.toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        return headers;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
