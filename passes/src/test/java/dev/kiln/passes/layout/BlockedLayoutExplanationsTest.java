package dev.kiln.passes.layout;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.passes.TransformLayout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What transform-layout says for a blocked target beyond the golden IR: why ops stay NCHW, and a bad block. */
class BlockedLayoutExplanationsTest {
    private static Graph golden(String path) throws IOException {
        try (InputStream in = BlockedLayoutExplanationsTest.class.getResourceAsStream("/passes/" + path)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return IrParser.parse(text.substring(0, text.indexOf("// expect:")));
        }
    }

    private static PassContext blocked(String block) {
        return new PassContext(OptLevel.O3, Map.of("layout.block", block),
                new TargetPreferences(TargetPreferences.Layout.NCHW_BLOCKED, Set.of("*")));
    }

    private static String said(PassContext ctx, String node) { return String.join("\n", ctx.explanations().getOrDefault(node, List.of())); }

    @Test
    void opsThatWouldBreakThePaddingOrLanesSayWhyTheyStayNchw() throws IOException {
        PassContext ctx = blocked("4");
        new TransformLayout().run(golden("transform-layout/blocked-stays-nchw.ir"), ctx);
        assertTrue(said(ctx, "conv").contains("runs NCHW4c as kiln:NchwcConv"), said(ctx, "conv"));
        assertTrue(said(ctx, "add_scalar").contains("single-element input %one would make the padding lanes nonzero"), said(ctx, "add_scalar"));
        assertTrue(said(ctx, "mul_broadcast").contains("%z broadcasts over channels"), said(ctx, "mul_broadcast"));
        assertTrue(said(ctx, "sigmoid").contains("Sigmoid here would make the padding lanes nonzero"), said(ctx, "sigmoid"));
        assertTrue(said(ctx, "add_scalar").contains("reads %c in NCHW"), said(ctx, "add_scalar"));
    }

    @Test
    void aBlockThatIsNotAPositiveIntegerIsRejected() throws IOException {
        Graph input = golden("transform-layout/blocked-stays-nchw.ir");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TransformLayout().run(input, blocked("0")));
        assertTrue(e.getMessage().contains("layout.block must be a positive integer, got '0'"), e.getMessage());
    }
}
