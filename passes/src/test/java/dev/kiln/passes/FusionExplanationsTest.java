package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the fusion passes say and respect beyond the golden IR: target preferences and near-miss explanations. */
class FusionExplanationsTest {
    private static Graph golden(String path) throws IOException {
        try (InputStream in = FusionExplanationsTest.class.getResourceAsStream("/passes/" + path)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return IrParser.parse(text.substring(0, text.indexOf("// expect:")));
        }
    }

    private static String said(PassContext ctx, String node) { return String.join("\n", ctx.explanations().getOrDefault(node, List.of())); }

    @Test
    void aTargetWithoutFusedConvGetsOnlyTheBiasFold() throws IOException {
        Graph input = golden("fuse-conv-bias-activation/resnet-add-then-relu.ir");
        PassContext ctx = new PassContext(OptLevel.O2, Map.of(), new TargetPreferences(TargetPreferences.Layout.NCHW, Set.of()));
        Graph output = new FuseConvBiasActivation().run(input, ctx);
        assertTrue(output.nodes().stream().noneMatch(n -> n.domain().equals("kiln")), "no kiln op for a target that cannot run it");
        assertEquals(List.of("Conv", "Add", "Relu"), output.nodes().stream().map(Node::op).toList());
        assertTrue(said(ctx, "conv").contains("cannot execute kiln:FusedConv"), said(ctx, "conv"));
        assertTrue(output.opsets().get("kiln") == null, "kiln is imported only when a kiln op is made");
        NumericalTwin.assertSameOutputs(input, output, 7);
    }

    @Test
    void aTargetListingFusedConvGetsIt() throws IOException {
        Graph input = golden("fuse-conv-bias-activation/resnet-add-then-relu.ir");
        PassContext ctx = new PassContext(OptLevel.O2, Map.of(), new TargetPreferences(TargetPreferences.Layout.NCHW, Set.of("kiln:FusedConv")));
        ctx.enter("fuse-conv-bias-activation");
        Graph output = new FuseConvBiasActivation().run(input, ctx);
        assertEquals(List.of("kiln:FusedConv"), output.nodes().stream().map(Node::qualifiedOp).toList());
        assertEquals(1, ctx.rewrites("fuse-conv-bias-activation"));
    }

    @Test
    void nearMissesSayWhichReaderBlockedTheFusion() throws IOException {
        PassContext ctx = PassContext.defaults();
        new FuseConvBiasActivation().run(golden("fuse-conv-bias-activation/shared-output-not-fused.ir"), ctx);
        assertTrue(said(ctx, "conv").contains("Conv 'conv'→Relu not fused: 'c' is also used by Add 'add'"), said(ctx, "conv"));
    }

    @Test
    void foldBatchNormSaysWhyItDidNotFold() throws IOException {
        PassContext ctx = PassContext.defaults();
        new FoldBatchNorm().run(golden("fold-batch-norm/shared-conv-output.ir"), ctx);
        assertTrue(said(ctx, "bn").contains("Conv 'conv' output 'c' is also read elsewhere"), said(ctx, "bn"));
        assertTrue(said(ctx, "bn").contains("became per-channel Mul + Add"), said(ctx, "bn"));
    }
}
