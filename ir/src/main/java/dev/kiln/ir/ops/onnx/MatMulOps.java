package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.Broadcast;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.NnInference.floatAttr;
import static dev.kiln.ir.ops.onnx.NnInference.intAttr;

/** Matrix products: Gemm, MatMul (N-D broadcasting), MatMulInteger, QLinearMatMul and Einsum. */
public final class MatMulOps implements OpFamily {
    private static final Set<DType> NUMERIC = Set.of(DType.F16, DType.BF16, DType.F32, DType.F64,
            DType.I32, DType.I64, DType.U32, DType.U64);

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("Gemm").since(1).inputs(2, 3).outputs(1)
                        .attr(floatAttr("alpha", 1f)).attr(floatAttr("beta", 1f))
                        .attr(intAttr("transA", 0)).attr(intAttr("transB", 0))
                        .attr(AttrSpec.optional("broadcast", Attribute.Kind.INT))
                        .infer(MatMulOps::gemm),
                OpSchema.op("MatMul").since(1).inputs(2).outputs(1).infer(ctx -> {
                    TensorType a = NnInference.requireType(ctx, 0, NUMERIC, "a numeric tensor");
                    NnInference.requireSameType(ctx, 1, 0);
                    return List.of(new TensorType(a.dtype(), matmulShape(ctx, ctx.inputShape(0), ctx.inputShape(1))));
                }),
                OpSchema.op("MatMulInteger").since(10).inputs(2, 4).outputs(1).infer(ctx -> {
                    NnInference.requireType(ctx, 0, NnInference.QUANTIZED_8BIT, "int8 or uint8");
                    NnInference.requireType(ctx, 1, NnInference.QUANTIZED_8BIT, "int8 or uint8");
                    return List.of(new TensorType(DType.I32, matmulShape(ctx, ctx.inputShape(0), ctx.inputShape(1))));
                }),
                OpSchema.op("QLinearMatMul").since(10).inputs(8).outputs(1).infer(ctx -> {
                    NnInference.requireSameType(ctx, 2, 0);
                    NnInference.requireSameType(ctx, 5, 3);
                    return List.of(new TensorType(ctx.inputDType(7), matmulShape(ctx, ctx.inputShape(0), ctx.inputShape(3))));
                }),
                OpSchema.op("Einsum").since(12).inputs(1, Integer.MAX_VALUE).outputs(1)
                        .attr(AttrSpec.required("equation", Attribute.Kind.STRING))
                        .infer(MatMulOps::einsum));
    }

    private static List<ValueType> gemm(InferenceContext ctx) {
        TensorType a = NnInference.requireType(ctx, 0, NUMERIC, "a numeric tensor");
        NnInference.requireSameType(ctx, 1, 0);
        NnInference.requireSameType(ctx, 2, 0);
        NnInference.requireRank(ctx, 0, 2);
        NnInference.requireRank(ctx, 1, 2);
        Shape sa = a.shape();
        Shape sb = ctx.inputShape(1);
        boolean ta = ctx.intAttr("transA", 0) != 0;
        boolean tb = ctx.intAttr("transB", 0) != 0;
        Dim m = sa.hasRank() ? sa.dim(ta ? 1 : 0) : Dim.UNKNOWN;
        Dim n = sb.hasRank() ? sb.dim(tb ? 0 : 1) : Dim.UNKNOWN;
        if (sa.hasRank() && sb.hasRank()) {
            long ka = NnInference.size(sa.dim(ta ? 0 : 1));
            long kb = NnInference.size(sb.dim(tb ? 1 : 0));
            if (ka >= 0 && kb >= 0 && ka != kb) throw ctx.fail("inner dims differ: A is " + sa + ", B is " + sb);
        }
        Shape out = Shape.of(List.of(m, n));
        if (ctx.hasInput(2)) {
            try {
                Broadcast.shapes(List.of(out, ctx.inputShape(2)));
            } catch (IllegalArgumentException e) {
                throw ctx.fail("C of shape " + ctx.inputShape(2) + " does not broadcast to " + out);
            }
        }
        return List.of(new TensorType(a.dtype(), out));
    }

    /** numpy.matmul's shape rule: 1-D operands are promoted and the promoted dim dropped, batch dims broadcast. */
    static Shape matmulShape(InferenceContext ctx, Shape a, Shape b) {
        if (!a.hasRank() || !b.hasRank()) return Shape.UNKNOWN_RANK;
        if (a.rank() == 0 || b.rank() == 0) throw ctx.fail("MatMul operands must have rank >= 1, got " + a + " and " + b);
        Dim k1 = a.dim(a.rank() - 1);
        Dim k2 = b.rank() == 1 ? b.dim(0) : b.dim(b.rank() - 2);
        if (k1.isStatic() && k2.isStatic() && k1.size() != k2.size()) {
            throw ctx.fail("inner dims differ: " + a + " x " + b);
        }
        List<Dim> batchA = a.rank() > 2 ? a.dims().subList(0, a.rank() - 2) : List.of();
        List<Dim> batchB = b.rank() > 2 ? b.dims().subList(0, b.rank() - 2) : List.of();
        List<Dim> out;
        try {
            out = new ArrayList<>(Broadcast.shapes(List.of(Shape.of(batchA), Shape.of(batchB))).dims());
        } catch (IllegalArgumentException e) {
            throw ctx.fail("batch dims of " + a + " and " + b + " do not broadcast");
        }
        if (a.rank() >= 2) out.add(a.dim(a.rank() - 2));
        if (b.rank() >= 2) out.add(b.dim(b.rank() - 1));
        return Shape.of(out);
    }

    private static List<ValueType> einsum(InferenceContext ctx) {
        int n = ctx.inputCount();
        DType type = ctx.inputDType(0);
        int[] ranks = new int[n];
        long[][] shapes = new long[n][];
        boolean ranked = true;
        for (int i = 0; i < n; i++) {
            NnInference.requireSameType(ctx, i, 0);
            Shape s = ctx.inputShape(i);
            if (!s.hasRank()) {
                ranked = false;
                continue;
            }
            ranks[i] = s.rank();
            shapes[i] = NnInference.sizes(s);
        }
        if (!ranked) return List.of(new TensorType(type, Shape.UNKNOWN_RANK));
        try {
            EinsumEquation eq = EinsumEquation.parse(ctx.stringAttr("equation"), ranks);
            long[] sizes = eq.labelSizes(shapes);
            int[] all = eq.allLabels();
            List<Dim> out = new ArrayList<>();
            for (int id : eq.output()) out.add(NnInference.dim(sizes[EinsumEquation.indexOf(all, id)]));
            return List.of(new TensorType(type, Shape.of(out)));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }
}
