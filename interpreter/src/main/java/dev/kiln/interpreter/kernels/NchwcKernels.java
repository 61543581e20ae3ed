package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.kiln.NchwcOps;
import dev.kiln.ir.ops.kiln.NhwcOps;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocked layout of {@link NchwcOps}: {@code kiln:ToBlocked} and {@code kiln:FromBlocked} move elements between
 * N,C,H,W and N,ceil(C/b),H,W,b (zero padding); each {@code kiln:Nchwc*} twin un-blocks input 0, runs the standard
 * kernel at the graph's default-domain opset, and blocks the result. A fast backend would compute blocked directly.
 */
public final class NchwcKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        kernels.put("kiln:ToBlocked", ctx -> List.of(toBlocked(ctx, ctx.input(0), block(ctx))));
        kernels.put("kiln:FromBlocked", ctx -> List.of(fromBlocked(ctx, ctx.input(0), block(ctx), channels(ctx))));
        for (String base : NhwcOps.BASE_OPS) kernels.put("kiln:" + NchwcOps.twinOf(base), ctx -> run(base, ctx));
        return kernels;
    }

    private static List<RuntimeValue> run(String base, KernelContext ctx) {
        long block = block(ctx);
        Node node = ctx.node();
        List<RuntimeValue> inputs = new ArrayList<>(ctx.inputs());
        inputs.set(0, fromBlocked(ctx, ctx.input(0), block, channels(ctx)));
        TensorType y = (TensorType) node.output(0).type();
        List<Value> outputs = List.of(new Value(node.output(0).name(), NchwcOps.unblocked(y, y.shape().dim(1).size())));
        Node standard = new Node(node.name(), "", base, node.inputs(), outputs, node.attributes());
        List<RuntimeValue> out = RefKernels.find(base).run(ctx.delegate(standard, inputs, ctx.graph().opset("")));
        return List.of(toBlocked(ctx, (Tensor) out.getFirst(), block));
    }

    private static Tensor toBlocked(KernelContext ctx, Tensor x, long block) {
        if (x.rank() != 4) throw ctx.fail("expected a 4-D NCHW tensor, got rank " + x.rank());
        long[] s = x.shape();
        long c = s[1], groups = (c + block - 1) / block;
        long[] shape = {s[0], groups, s[2], s[3], block};
        int[] map = new int[Tensor.checkedSize(shape)];
        int i = 0;
        for (long n = 0; n < s[0]; n++) for (long g = 0; g < groups; g++) for (long h = 0; h < s[2]; h++)
            for (long w = 0; w < s[3]; w++) for (long k = 0; k < block; k++) {
                long ch = g * block + k;
                map[i++] = ch < c ? (int) (((n * c + ch) * s[2] + h) * s[3] + w) : -1;
            }
        return ElementBuffer.gather(x, shape, map, Tensor.zeros(x.dtype()));
    }

    private static Tensor fromBlocked(KernelContext ctx, Tensor x, long block, long channels) {
        long[] s = x.shape();
        if (x.rank() != 5 || s[4] != block || s[1] != (channels + block - 1) / block) {
            throw ctx.fail("expected a blocked tensor of " + channels + " channels in blocks of " + block
                    + ", got shape " + java.util.Arrays.toString(s));
        }
        long[] shape = {s[0], channels, s[2], s[3]};
        int[] map = new int[Tensor.checkedSize(shape)];
        int i = 0;
        for (long n = 0; n < s[0]; n++) for (long ch = 0; ch < channels; ch++) for (long h = 0; h < s[2]; h++)
            for (long w = 0; w < s[3]; w++) {
                map[i++] = (int) ((((n * s[1] + ch / block) * s[2] + h) * s[3] + w) * block + ch % block);
            }
        return ElementBuffer.gather(x, shape, map);
    }

    private static long block(KernelContext ctx) {
        long block = ctx.intAttr("block", 0);
        if (block < 1) throw ctx.fail("block must be positive, got " + block);
        return block;
    }

    private static long channels(KernelContext ctx) {
        long channels = ctx.intAttr("channels", 0);
        if (channels < 1) throw ctx.fail("channels must be positive, got " + channels);
        return channels;
    }
}
