package dev.kiln.ir.ops.kiln;

import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.ops.onnx.ConvOps;
import dev.kiln.ir.ops.onnx.NormalizationOps;
import dev.kiln.ir.ops.onnx.PoolOps;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Channels-last twins of 4-D image ops, made by the {@code transform-layout} pass for targets preferring NHWC:
 * {@code kiln:NhwcConv}, {@code kiln:NhwcMaxPool}, {@code kiln:NhwcAveragePool}, {@code kiln:NhwcGlobalAveragePool},
 * {@code kiln:NhwcGlobalMaxPool}, {@code kiln:NhwcBatchNormalization}. Each takes exactly the attributes and inputs
 * of the standard op (weights and per-channel vectors unchanged, e.g. Conv's W stays OIHW) except that input 0 is
 * laid out N,H,W,C and the single output is N,H,W,C too. Types are inferred by the standard op's inference on the
 * NCHW view, at the newest opset of the default domain.
 */
public final class NhwcOps implements OpFamily {
    /** The standard ops with a channels-last twin. */
    public static final List<String> BASE_OPS = List.of("Conv", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "BatchNormalization");
    /** NCHW → NHWC. */
    public static final long[] TO_NHWC = {0, 2, 3, 1};
    /** NHWC → NCHW. */
    public static final long[] TO_NCHW = {0, 3, 1, 2};

    /** {@code kiln:Nhwc<base>}'s op name. */
    public static String twinOf(String baseOp) { return "Nhwc" + baseOp; }

    @Override
    public List<OpSchema> schemas() {
        List<OpSchema> bases = Stream.of(new ConvOps(), new PoolOps(), new NormalizationOps())
                .flatMap(f -> f.schemas().stream()).filter(s -> BASE_OPS.contains(s.name())).toList();
        return bases.stream().map(NhwcOps::twin).toList();
    }

    private static OpSchema twin(OpSchema base) {
        return new OpSchema("kiln", twinOf(base.name()), 1, base.minInputs(), base.maxInputs(), 1, 1,
                base.attributes(), ctx -> infer(base, ctx));
    }

    private static List<ValueType> infer(OpSchema base, InferenceContext ctx) {
        TensorType x = ctx.input(0);
        if (!x.shape().hasRank() || x.shape().rank() != 4) throw ctx.fail("input 0 must be a 4-D NHWC tensor, got " + x);
        Node node = ctx.node();
        List<Value> inputs = new ArrayList<>(node.inputs());
        inputs.set(0, new Value(inputs.get(0).name(), permute(x, TO_NCHW)));
        Node standard = new Node(node.name(), "", base.name(), inputs, node.outputs(), node.attributes());
        List<ValueType> types = base.inference().infer(new InferenceContext(standard, base, Integer.MAX_VALUE,
                ctx.constants(), ctx.visibleTypes()));
        if (!(types.getFirst() instanceof TensorType y) || !y.shape().hasRank() || y.shape().rank() != 4) {
            throw ctx.fail("the standard " + base.name() + " gives " + types.getFirst() + ", not a 4-D tensor");
        }
        return List.of(permute(y, TO_NHWC));
    }

    /** {@code t} with its dims reordered: dim i of the result is dim perm[i] of t. */
    public static TensorType permute(TensorType t, long[] perm) {
        List<Dim> dims = new ArrayList<>();
        for (long p : perm) dims.add(t.shape().dim((int) p));
        return new TensorType(t.dtype(), Shape.of(dims));
    }
}
