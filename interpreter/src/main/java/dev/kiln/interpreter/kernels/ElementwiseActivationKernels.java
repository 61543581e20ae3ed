package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** Activation functions, with their attributes read once per node: Elu, Gelu, HardSigmoid, ..., PRelu and Clip. */
public final class ElementwiseActivationKernels implements KernelFamily {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> k = new HashMap<>();
        k.put("LeakyRelu", withAttrs(ctx -> {
            double alpha = ctx.floatAttr("alpha", 0.01f);
            return x -> x < 0 ? alpha * x : x;
        }));
        k.put("Elu", withAttrs(ctx -> {
            double alpha = ctx.floatAttr("alpha", 1.0f);
            return x -> x < 0 ? alpha * Math.expm1(x) : x;
        }));
        k.put("Selu", withAttrs(ctx -> {
            double alpha = ctx.floatAttr("alpha", 1.67326319217681884765625f);
            double gamma = ctx.floatAttr("gamma", 1.05070102214813232421875f);
            return x -> x > 0 ? gamma * x : gamma * alpha * Math.expm1(x);
        }));
        k.put("Celu", withAttrs(ctx -> {
            double alpha = ctx.floatAttr("alpha", 1.0f);
            return x -> Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha));
        }));
        k.put("HardSigmoid", withAttrs(ctx -> {
            double alpha = ctx.floatAttr("alpha", 0.2f);
            double beta = ctx.floatAttr("beta", 0.5f);
            return x -> Math.max(0, Math.min(1, alpha * x + beta));
        }));
        k.put("HardSwish", withAttrs(ctx -> x -> x * Math.max(0, Math.min(1, x / 6 + 0.5))));
        k.put("Softplus", withAttrs(ctx -> ElementwiseMath::softplus));
        k.put("Mish", withAttrs(ctx -> x -> x * Math.tanh(ElementwiseMath.softplus(x))));
        k.put("Gelu", withAttrs(ctx -> {
            String mode = ctx.stringAttr("approximate", "none");
            return switch (mode) {
                case "none" -> x -> 0.5 * x * (1 + ElementwiseMath.erf(x * SQRT_HALF));
                case "tanh" -> x -> 0.5 * x * (1 + Math.tanh(SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x)));
                default -> throw ctx.fail("approximate must be 'none' or 'tanh', got '" + mode + "'");
            };
        }));
        k.put("Swish", withAttrs(ctx -> {
            double alpha = ctx.floatAttr("alpha", 1.0f);
            return x -> x * ElementwiseMath.sigmoid(alpha * x);
        }));
        k.put("ThresholdedRelu", withAttrs(ctx -> {
            double alpha = ctx.floatAttr("alpha", 1.0f);
            return x -> x > alpha ? x : 0;
        }));
        k.put("Shrink", withAttrs(ctx -> {
            double bias = ctx.floatAttr("bias", 0.0f);
            double lambd = ctx.floatAttr("lambd", 0.5f);
            return x -> x < -lambd ? x + bias : x > lambd ? x - bias : 0;
        }));
        k.put("PRelu", ElementwiseActivationKernels::prelu);
        k.put("Clip", ElementwiseActivationKernels::clip);
        return k;
    }

    /** A unary function whose parameters come from the node's attributes. */
    private static Kernel withAttrs(Function<KernelContext, DoubleUnaryOperator> configure) {
        return ctx -> List.of(ElementwiseLoops.mapDoubles(ctx.input(0), configure.apply(ctx)));
    }

    /** y = x where x >= 0, slope * x elsewhere; the slope broadcasts onto x. */
    private static List<RuntimeValue> prelu(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor slope = ctx.input(1);
        if (ctx.opset() < 7 && slope.size() != 1 && slope.rank() == 1 && x.rank() >= 2) {
            // PRelu-6 and earlier: a 1-D slope holds one value per channel (dim 1).
            if (slope.dim(0) != x.dim(1)) throw ctx.fail("slope of " + slope.size() + " values does not match channel count " + x.dim(1));
            long[] perChannel = new long[x.rank() - 1];
            Arrays.fill(perChannel, 1);
            perChannel[0] = slope.dim(0);
            slope = slope.reshape(perChannel);
        }
        Tensor y = x.dtype().isFloat()
                ? ElementwiseLoops.zipDoubles(ctx, x, slope, x.dtype(), (v, s) -> v < 0 ? s * v : v)
                : ElementwiseLoops.zipLongs(ctx, x, slope, x.dtype(), (v, s) -> v < 0 && x.dtype().kind() == DType.Kind.SIGNED ? s * v : v);
        if (y.rank() != x.rank() || y.size() != x.size()) {
            throw ctx.fail("slope " + slope.type() + " does not broadcast onto X " + x.type());
        }
        return List.of(y);
    }

    /**
     * Clamps to [min, max]; when min > max every element becomes max, as ONNX specifies. The bounds are attributes
     * before opset 11 and optional scalar inputs from it on.
     */
    private static List<RuntimeValue> clip(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (ctx.opset() < 11) {
            double lo = ctx.floatAttr("min", -Float.MAX_VALUE);
            double hi = ctx.floatAttr("max", Float.MAX_VALUE);
            return List.of(ElementwiseLoops.mapDoubles(x, v -> Math.min(Math.max(v, lo), hi)));
        }
        Tensor min = bound(ctx, 1, x.dtype());
        Tensor max = bound(ctx, 2, x.dtype());
        if (x.dtype().isFloat()) {
            double lo = min == null ? Double.NEGATIVE_INFINITY : min.getDouble(0);
            double hi = max == null ? Double.POSITIVE_INFINITY : max.getDouble(0);
            return List.of(ElementwiseLoops.mapDoubles(x, v -> Math.min(Math.max(v, lo), hi)));
        }
        // Integer bounds compare in the element type's own order (unsigned 64-bit flips the sign bit to compare).
        long flip = x.dtype() == DType.U64 ? Long.MIN_VALUE : 0;
        long lo = min == null ? Long.MIN_VALUE : min.getLong(0) ^ flip;
        long hi = max == null ? Long.MAX_VALUE : max.getLong(0) ^ flip;
        return List.of(ElementwiseLoops.mapLongs(x, v -> Math.min(Math.max(v ^ flip, lo), hi) ^ flip));
    }

    private static Tensor bound(KernelContext ctx, int i, DType type) {
        if (!ctx.hasInput(i)) return null;
        Tensor b = ctx.input(i);
        if (b.size() != 1) throw ctx.fail("bound input " + i + " must hold one value, got shape " + b.type());
        if (b.dtype() != type) throw ctx.fail("bound input " + i + " must be " + type + ", got " + b.dtype());
        return b;
    }
}
