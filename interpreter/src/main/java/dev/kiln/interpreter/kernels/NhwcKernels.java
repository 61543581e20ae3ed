package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.NhwcOps;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels-last twins of {@link NhwcOps}: the oracle transposes input 0 to NCHW, runs the standard kernel at
 * the graph's default-domain opset, and transposes the result back. A fast backend would compute in NHWC directly.
 */
public final class NhwcKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        for (String base : NhwcOps.BASE_OPS) kernels.put("kiln:" + NhwcOps.twinOf(base), ctx -> run(base, ctx));
        return kernels;
    }

    private static List<RuntimeValue> run(String base, KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() != 4) throw ctx.fail("input 0 must be a 4-D NHWC tensor, got rank " + x.rank());
        Kernel kernel = RefKernels.find(base);
        Node node = ctx.node();
        List<RuntimeValue> inputs = new ArrayList<>(ctx.inputs());
        inputs.set(0, transpose(x, NhwcOps.TO_NCHW));
        List<Value> outputs = List.of(new Value(node.output(0).name(),
                NhwcOps.permute((TensorType) node.output(0).type(), NhwcOps.TO_NCHW)));
        Node standard = new Node(node.name(), "", base, node.inputs(), outputs, node.attributes());
        List<RuntimeValue> out = kernel.run(ctx.delegate(standard, inputs, ctx.graph().opset("")));
        return List.of(transpose((Tensor) out.getFirst(), NhwcOps.TO_NHWC));
    }

    private static Tensor transpose(Tensor x, long[] perm) {
        int[] p = new int[perm.length];
        for (int i = 0; i < p.length; i++) p[i] = (int) perm[i];
        long[] shape = x.shape();
        return ElementBuffer.gather(x, TensorKernelSupport.permute(shape, p), TensorKernelSupport.transposeMap(shape, p));
    }
}
