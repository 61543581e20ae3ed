package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.ops.kiln.NchwcOps;
import dev.kiln.ir.ops.kiln.NhwcOps;
import dev.kiln.passes.layout.BlockedLayout;
import dev.kiln.passes.layout.ChannelLayout;
import dev.kiln.passes.layout.LayoutRewriter;
import dev.kiln.passes.layout.NhwcLayout;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves 4-D image ops to the layout the target prefers. For NHWC, each Conv, pool and BatchNormalization on 4-D
 * data becomes its channels-last twin ({@code kiln:NhwcConv}, ... see {@link NhwcOps}); elementwise ops between
 * them follow along on channels-last data; a Transpose is made only where a value crosses between the layouts:
 * once per 4-D graph input feeding the region, once per graph output leaving it, and before any op that needs
 * NCHW (a Flatten after global pooling). For NCHW_BLOCKED the same walk holds 4-D values as N,C/b,H,W,b with
 * block b (option {@code layout.block}, default 8) and twins {@code kiln:Nchwc*} (see {@link NchwcOps}), converting
 * with {@code kiln:ToBlocked} / {@code kiln:FromBlocked}. With an NCHW target (the reference) the pass does nothing.
 */
public final class TransformLayout implements Pass {
    @Override
    public String name() { return "transform-layout"; }

    @Override
    public String summary() { return "run 4-D conv/pool/norm ops in the target's NHWC or blocked NCHWc layout"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        ChannelLayout layout = switch (ctx.target().layout()) {
            case NHWC -> new NhwcLayout();
            case NCHW_BLOCKED -> new BlockedLayout(block(ctx));
            case NCHW -> null;
        };
        if (layout == null) return graph;
        Graph rewritten = new LayoutRewriter(graph, ctx, layout).rewrite();
        if (rewritten == graph) return graph;
        Map<String, Integer> opsets = new LinkedHashMap<>(rewritten.opsets());
        opsets.putIfAbsent("kiln", 1);
        return rewritten.withOpsets(opsets);
    }

    private static long block(PassContext ctx) {
        String text = ctx.option("layout.block", "8");
        try {
            long block = Long.parseLong(text);
            if (block > 0) return block;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("transform-layout: option layout.block must be a positive integer, got '" + text + "'");
    }
}
