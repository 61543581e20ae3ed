package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.ir.ops.onnx.ReductionOps;

import java.util.Map;

/** Derivative rules of ops that move or sum elements without arithmetic on them: reshapes, Transpose, ReduceSum/Mean. */
final class GradientShapeRules {
    private GradientShapeRules() {}

    static Map<String, GradientRule> rules() {
        GradientRule reshapeBack = GradientShapeRules::reshapeBack;
        return Map.of("Identity", reshapeBack, "Reshape", reshapeBack, "Flatten", reshapeBack,
                "Squeeze", reshapeBack, "Unsqueeze", reshapeBack,
                "Transpose", GradientShapeRules::transpose,
                "ReduceSum", step -> reduce(step, "ReduceSum"),
                "ReduceMean", step -> reduce(step, "ReduceMean"));
    }

    /** Ops that keep the elements in order under a new shape: the gradient is the output's, in the input's shape. */
    private static GradientArray[] reshapeBack(GradientStep step) {
        GradientArray[] grads = new GradientArray[step.inputs().size()];
        grads[0] = step.grad(0).reshape(step.inputShape(0));
        return grads;
    }

    /** Output axis i is input axis perm[i], so the gradient goes back through the inverse permutation. */
    private static GradientArray[] transpose(GradientStep step) {
        int rank = step.inputTensor(0).rank();
        long[] perm = step.intsAttr("perm");
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm == null ? rank - 1 - i : (int) perm[i]] = i;
        return new GradientArray[] {step.grad(0).transpose(inverse)};
    }

    /**
     * Every input element reaches one output element with weight 1 (ReduceSum) or 1/count (ReduceMean): the
     * gradient is the output's, with reduced axes restored as size 1, broadcast back over them.
     */
    private static GradientArray[] reduce(GradientStep step, String op) {
        long[] shape = step.inputShape(0);
        int rank = shape.length;
        boolean axesAreInput = step.opset() >= ReductionOps.axesInputSince(op);
        long[] axes = axesAreInput ? (step.hasInput(1) ? step.inputTensor(1).toLongs() : null) : step.intsAttr("axes");
        GradientArray[] grads = new GradientArray[step.inputs().size()];
        if ((axes == null || axes.length == 0) && axesAreInput && step.intAttr("noop_with_empty_axes", 0) != 0) {
            grads[0] = step.grad(0);
            return grads;
        }
        long[] kept = shape.clone();
        long count = 1;
        for (int d = 0; d < rank; d++) {
            if (axes == null || axes.length == 0 || contains(axes, d, rank)) {
                kept[d] = 1;
                count *= shape[d];
            }
        }
        GradientArray g = step.grad(0).reshape(kept).broadcastTo(shape);
        double scale = op.equals("ReduceMean") ? 1.0 / count : 1.0;
        grads[0] = scale == 1.0 ? g : g.map(v -> v * scale);
        return grads;
    }

    private static boolean contains(long[] axes, int axis, int rank) {
        for (long a : axes) if (Indexing.axis(a, rank) == axis) return true;
        return false;
    }
}
