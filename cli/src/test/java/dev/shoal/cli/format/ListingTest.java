package dev.shoal.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingTest {
    private static Listing services() {
        Listing l = Listing.of(Listing.column("ID", "ID"), Listing.column("Name", "NAME"), Listing.column("Replicas", "REPLICAS"));
        l.row(row("abc", "web", "3/3"));
        l.row(row("def", "db", "1/1"));
        return l;
    }

    private static Map<String, Object> row(String id, String name, String replicas) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", id);
        m.put("Name", name);
        m.put("Replicas", replicas);
        return m;
    }

    @Test
    void tableIsTheDefault() {
        List<String> expected = List.of("ID        NAME      REPLICAS", "abc       web       3/3", "def       db        1/1");
        assertEquals(expected, services().render(null));
        assertEquals(expected, services().render("table"));
    }

    @Test
    void jsonIsOneObjectPerRow() {
        assertEquals(List.of("{\"ID\":\"abc\",\"Name\":\"web\",\"Replicas\":\"3/3\"}", "{\"ID\":\"def\",\"Name\":\"db\",\"Replicas\":\"1/1\"}"),
                services().render("json"));
    }

    @Test
    void tableTemplateUsesTheHeadersOfItsFields() {
        assertEquals(List.of("NAME      REPLICAS", "web       3/3", "db        1/1"),
                services().render("table {{.Name}}\\t{{.Replicas}}"));
    }

    @Test
    void bareTemplateIsOneLinePerRow() {
        assertEquals(List.of("web=3/3", "db=1/1"), services().render("{{.Name}}={{.Replicas}}"));
        assertEquals(List.of("WEB", "DB"), services().render("{{upper .Name}}"));
    }

    @Test
    void unknownFieldIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> services().render("{{.Nope}}"));
        assertEquals("template: :1: executing \"\" at <.Nope>: can't evaluate field Nope", e.getMessage());
    }

    @Test
    void unclosedActionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> services().render("{{.Name"));
    }

    @Test
    void unsupportedFunctionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> services().render("{{printf \"%s\" .Name}}"));
    }

    @Test
    void displayOverridesOnlyTheTable() {
        Listing l = Listing.of(Listing.column("ID", "ID", r -> r.get("ID") + (Boolean.TRUE.equals(r.get("Self")) ? " *" : "")));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ID", "n1");
        r.put("Self", true);
        l.row(r);
        assertEquals("n1 *", l.render(null).get(1));
        assertEquals("{\"ID\":\"n1\",\"Self\":true}", l.render("json").getFirst());
    }
}
