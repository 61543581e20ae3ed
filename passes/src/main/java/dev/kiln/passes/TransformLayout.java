package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.ops.kiln.NhwcOps;
import dev.kiln.passes.layout.LayoutRewriter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves 4-D image ops to the layout the target prefers. For NHWC, each Conv, pool and BatchNormalization on 4-D
 * data becomes its channels-last twin ({@code kiln:NhwcConv}, ... see {@link NhwcOps}); elementwise ops between
 * them follow along on channels-last data; a Transpose is made only where a value crosses between the layouts:
 * once per 4-D graph input feeding the region, once per graph output leaving it, and before any op that needs
 * NCHW (a Flatten after global pooling). With an NCHW target (the reference) the pass does nothing.
 */
public final class TransformLayout implements Pass {
    @Override
    public String name() { return "transform-layout"; }

    @Override
    public String summary() { return "run 4-D conv/pool/norm ops channels-last when the target prefers NHWC"; }

    @Override
    public Graph run(Graph graph, PassContext ctx) {
        if (ctx.target().layout() != TargetPreferences.Layout.NHWC) return graph;
        Graph rewritten = new LayoutRewriter(graph, ctx).rewrite();
        if (rewritten == graph) return graph;
        Map<String, Integer> opsets = new LinkedHashMap<>(rewritten.opsets());
        opsets.putIfAbsent("kiln", 1);
        return rewritten.withOpsets(opsets);
    }
}
