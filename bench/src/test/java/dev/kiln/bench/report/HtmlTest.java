package dev.kiln.bench.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlTest {
    @Test
    void escapesTheFiveSpecialCharacters() {
        assertEquals("&lt;script&gt;alert(&quot;a&amp;b&#39;)&lt;/script&gt;", Html.escape("<script>alert(\"a&b')</script>"));
    }

    @Test
    void leavesOtherTextAloneAndNullEmpty() {
        assertEquals("cpu fp32 4t b1 · µs ×", Html.escape("cpu fp32 4t b1 · µs ×"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void svgAttributesAndTextAreEscaped() {
        String svg = new Svg().open("g", "class", "a\"b").text("text", "x<y", "data-n", 1.5).close("g").toString();
        assertEquals("<g class=\"a&quot;b\"><text data-n=\"1.50\">x&lt;y</text></g>", svg);
    }
}
