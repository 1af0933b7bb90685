package dev.shoal.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectFormatTest {
    @Test
    void prettyIsDockersFourSpaceIndent() {
        String out = InspectFormat.render(List.of(Map.of("Name", "web")), null).getFirst();
        assertEquals("[\n    {\n        \"Name\": \"web\"\n    }\n]", out);
    }

    @Test
    void emptyArrayHasNoBlank() {
        assertEquals("[]", InspectFormat.pretty(List.of()));
    }

    @Test
    void jsonIsCompactPerObject() {
        assertEquals(List.of("{\"Name\":\"web\"}"), InspectFormat.render(List.of(Map.of("Name", "web")), "json"));
    }

    @Test
    void templateWalksNestedFields() {
        Object o = Map.of("Spec", Map.of("Name", "web", "Labels", Map.of("a", "b")));
        assertEquals(List.of("web {\"a\":\"b\"}"), InspectFormat.render(List.of(o), "{{.Spec.Name}} {{json .Spec.Labels}}"));
    }
}
