package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.FusedOps;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kiln:FusedConv, kiln:FusedConvTranspose and kiln:FusedGemm (see {@link FusedOps} for their attributes). Each runs
 * its base op's kernel and then the epilogue through the very kernels of the ops it replaces (Relu, Clip, Add, ...),
 * so a fused graph computes the same numbers as the unfused one.
 */
public final class FusedKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(
                "kiln:FusedConv", ctx -> fused(ctx, "Conv"),
                "kiln:FusedConvTranspose", ctx -> fused(ctx, "ConvTranspose"),
                "kiln:FusedGemm", ctx -> fused(ctx, "Gemm"));
    }

    private static List<RuntimeValue> fused(KernelContext ctx, String base) {
        Node fused = ctx.node();
        Node baseNode = FusedOps.baseNode(fused, base);
        int opset = Math.max(FusedEpilogue.MIN_BASE_OPSET, ctx.graph().opset(""));
        List<RuntimeValue> baseInputs = new ArrayList<>(ctx.inputs().subList(0, baseNode.inputs().size()));
        Tensor y = (Tensor) run(ctx, baseNode, baseInputs, opset);
        String residual = ctx.stringAttr("residual", "none");
        Tensor z = residual.equals("none") ? null : ctx.input(3);
        if (residual.equals("before_activation")) y = add(ctx, y, z, opset);
        y = new FusedEpilogue(ctx, opset).activate(y);
        if (residual.equals("after_activation")) y = add(ctx, y, z, opset);
        return List.of(y);
    }

    private static Tensor add(KernelContext ctx, Tensor y, Tensor z, int opset) {
        Value out = ctx.node().output(0);
        Node add = new Node(ctx.node().name(), "", "Add", List.of(out, ctx.node().input(3)), List.of(out), Map.<String, Attribute>of());
        return (Tensor) run(ctx, add, List.of(y, z), opset);
    }

    /** Runs the registered kernel of a standard op for the fused node. */
    static RuntimeValue run(KernelContext ctx, Node inner, List<RuntimeValue> inputs, int opset) {
        Kernel kernel = RefKernels.find(inner.qualifiedOp());
        if (kernel == null) throw ctx.fail("no kernel for " + inner.qualifiedOp());
        return kernel.run(ctx.delegate(inner, inputs, opset)).getFirst();
    }
}
