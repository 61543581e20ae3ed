package dev.kiln.ir.json;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonParserTest {
    @Test
    void parsesStandardJson() {
        assertEquals(Map.of("a", List.of(-1L, 2.5e3, "\u00e9/")), JsonParser.parse(" {\"a\" : [ -1, 2.5e3, \"\\u00e9\\/\" ] } "));
    }

    @Test
    void rejectsBrokenJsonWithTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("{\n\"a\": tru}"));
        assertEquals("JSON line 2: unexpected text", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("{} x"));
    }
}
