package dev.kiln.ir.ops.kiln;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.Broadcast;
import dev.kiln.ir.ops.InferenceContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code kiln:Attention(Q, Kt, V, Mask?)} computes {@code Softmax(scale * (Q @ Kt) + Mask, axis=-1) @ V}, the
 * scaled dot-product attention exported models spell out with MatMul, Mul or Div, Add, Softmax and MatMul.
 * {@code Kt} is the keys already transposed ({@code [..., D, Sk]}), exactly the right operand of the first MatMul,
 * so the op needs no layout of its own. Attribute {@code scale} (float, required) multiplies the scores; the optional
 * {@code Mask} (same float type) is added to the scaled scores, numpy-broadcast. Q, Kt and V have rank at least 2;
 * their leading (batch) dims broadcast as MatMul's do. Output: {@code [batch..., Sq, Dv]} in Q's type.
 */
final class AttentionInference {
    private AttentionInference() {}

    static List<ValueType> infer(InferenceContext ctx) {
        DType t = ctx.inputDType(0);
        if (!t.isFloat()) throw ctx.fail("Q must be a float tensor, got " + t);
        for (int i = 1; i < ctx.inputCount(); i++) {
            if (ctx.hasInput(i) && ctx.inputDType(i) != t) throw ctx.fail("input " + i + " must be " + t + " like Q, got " + ctx.inputDType(i));
        }
        Shape q = ctx.inputShape(0), kt = ctx.inputShape(1), v = ctx.inputShape(2);
        Shape mask = ctx.hasInput(3) ? ctx.inputShape(3) : Shape.SCALAR;
        if (!q.hasRank() || !kt.hasRank() || !v.hasRank() || !mask.hasRank()) {
            return InferenceContext.one(new TensorType(t, Shape.UNKNOWN_RANK));
        }
        for (Shape s : List.of(q, kt, v)) {
            if (s.rank() < 2) throw ctx.fail("Q, Kt and V need rank >= 2, got " + s);
        }
        requireSame(ctx, q.dim(q.rank() - 1), kt.dim(kt.rank() - 2), "Q's last dim and Kt's rows");
        requireSame(ctx, kt.dim(kt.rank() - 1), v.dim(v.rank() - 2), "Kt's last dim and V's rows");
        List<Shape> batches = new ArrayList<>(List.of(leading(q, 2), leading(kt, 2), leading(v, 2)));
        if (mask.rank() > 2) batches.add(leading(mask, 2));
        Shape batch;
        try {
            batch = Broadcast.shapes(batches);
        } catch (RuntimeException e) {
            throw ctx.fail("batch dims do not broadcast: " + e.getMessage());
        }
        List<Dim> out = new ArrayList<>(batch.dims());
        out.add(q.dim(q.rank() - 2));
        out.add(v.dim(v.rank() - 1));
        return InferenceContext.one(new TensorType(t, Shape.of(out)));
    }

    private static Shape leading(Shape s, int dropped) { return Shape.of(s.dims().subList(0, s.rank() - dropped)); }

    private static void requireSame(InferenceContext ctx, Dim a, Dim b, String what) {
        if (a.isStatic() && b.isStatic() && a.size() != b.size()) throw ctx.fail(what + " differ: " + a + " vs " + b);
    }
}
