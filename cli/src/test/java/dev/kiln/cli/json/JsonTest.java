package dev.kiln.cli.json;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {
    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote \" backslash \\ newline \n tab \t unicode é \u0001");
        m.put("n", 42L);
        m.put("d", 1.5);
        m.put("b", true);
        m.put("nil", null);
        m.put("list", List.of(1L, "two", List.of()));
        m.put("obj", Map.of("k", List.of(Map.of("x", false))));
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void writesNestedValuesThatParseBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\n name");
        m.put("ops", List.of("Abs", "Add"));
        m.put("seconds", 1.5);
        m.put("passed", true);
        assertEquals(List.of(m), Json.parse(Json.write(List.of(m))));
    }
}
