package dev.kiln.backend.cpu.gemm;

import dev.kiln.backend.cpu.math.ScalarMath;
import dev.kiln.backend.cpu.math.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static dev.kiln.backend.cpu.gemm.MicroKernel.FLOAT;
import static dev.kiln.backend.cpu.gemm.MicroKernel.ORDER;

/**
 * The general fused epilogue: {@code y = act(x + bias (+ residual))} or {@code y = act(x + bias) + residual},
 * vectorized along C's rows with a scalar tail. Bias and residual are optional; bias is indexed by C's row (one
 * per output channel when C is {@code channels × pixels}, as in convolution) or by its column (one per output
 * feature, as in a fully connected layer).
 *
 * @param bias     per-row or per-column bias, or {@code null}
 * @param activation applied after bias (and after the residual when {@code residualFirst})
 * @param residual added element-wise, or {@code null}
 * @param residualFirst whether the residual is added before the activation (ResNet's {@code relu(conv + x)})
 */
public record FusedEpilogue(Bias bias, Activation activation, Residual residual, boolean residualFirst)
        implements TileEpilogue {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Bias values, little-endian float32 from {@code offset} bytes; one per row of C or one per column. */
    public record Bias(MemorySegment data, long offset, boolean perRow) {
        public Bias { Objects.requireNonNull(data, "data"); }
    }

    /** A second matrix shaped like C, element {@code (i, j)} at float {@code i·ld + j} from {@code offset} bytes. */
    public record Residual(MemorySegment data, long offset, int ld) {
        public Residual { Objects.requireNonNull(data, "data"); }
    }

    public FusedEpilogue {
        Objects.requireNonNull(activation, "activation");
    }

    /**
     * Whether this is {@code clip(x + bias[row])} (bias optional, per row; Relu and the identity are clips), which the
     * GEMM's micro-kernel applies to a whole tile in registers before its one store, leaving only edge tiles to
     * {@link #apply}.
     */
    public boolean inRegisters() {
        return residual == null && (bias == null || bias.perRow()) && activation instanceof Clip;
    }

    @Override
    public void apply(MemorySegment c, long tileOffset, int ldc, int row, int col, int rows, int cols) {
        if (residual == null && bias != null && bias.perRow() && activation instanceof Clip clip) {
            rowBiasClip(c, tileOffset, ldc, row, rows, cols, clip);
            return;
        }
        for (int i = 0; i < rows; i++) {
            long cRow = tileOffset + (long) i * ldc * Float.BYTES;
            float rowBias = bias != null && bias.perRow() ? bias.data().get(FLOAT, bias.offset() + (row + i) * 4L) : 0f;
            long resRow = residual == null ? 0 : residual.offset() + ((long) (row + i) * residual.ld() + col) * 4;
            int j = 0;
            for (int upper = S.loopBound(cols); j < upper; j += S.length()) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, cRow + j * 4L, ORDER);
                if (bias != null) v = v.add(bias.perRow() ? FloatVector.broadcast(S, rowBias) : FloatVector
                        .fromMemorySegment(S, bias.data(), bias.offset() + (col + j) * 4L, ORDER));
                if (residual != null && residualFirst) v = v.add(residualAt(resRow + j * 4L));
                v = activation.apply(v);
                if (residual != null && !residualFirst) v = v.add(residualAt(resRow + j * 4L));
                v.intoMemorySegment(c, cRow + j * 4L, ORDER);
            }
            for (; j < cols; j++) {
                float x = c.get(FLOAT, cRow + j * 4L);
                if (bias != null) x += bias.perRow() ? rowBias : bias.data().get(FLOAT, bias.offset() + (col + j) * 4L);
                float r = residual == null ? 0f : residual.data().get(FLOAT, resRow + j * 4L);
                if (residualFirst) x += r;
                x = activation.apply(x);
                if (!residualFirst) x += r;
                c.set(FLOAT, cRow + j * 4L, x);
            }
        }
    }

    /** The convolution's common case, {@code clip(x + bias[row])}, with nothing left to decide inside the loops. */
    private void rowBiasClip(MemorySegment c, long tileOffset, int ldc, int row, int rows, int cols, Clip clip) {
        float lo = clip.min(), hi = clip.max();
        FloatVector low = FloatVector.broadcast(S, lo), high = FloatVector.broadcast(S, hi);
        int upper = S.loopBound(cols);
        for (int i = 0; i < rows; i++) {
            long cRow = tileOffset + (long) i * ldc * Float.BYTES;
            float b = bias.data().get(FLOAT, bias.offset() + (row + i) * 4L);
            int j = 0;
            for (; j < upper; j += S.length()) {
                FloatVector v = FloatVector.fromMemorySegment(S, c, cRow + j * 4L, ORDER).add(b);
                // As the micro-kernel clamps whole tiles (compare and blend), so that edge tiles agree with them bit for bit.
                v = v.blend(high, v.compare(VectorOperators.GT, high));
                v.blend(low, v.lt(low)).intoMemorySegment(c, cRow + j * 4L, ORDER);
            }
            for (; j < cols; j++) c.set(FLOAT, cRow + j * 4L, Math.min(Math.max(c.get(FLOAT, cRow + j * 4L) + b, lo), hi));
        }
    }

    private FloatVector residualAt(long offset) {
        return FloatVector.fromMemorySegment(S, residual.data(), offset, ORDER);
    }

    /** The element-wise activations an epilogue can fuse; each has a vector form and its scalar twin. */
    public sealed interface Activation {
        Activation NONE = new Clip(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        Activation RELU = new Clip(0f, Float.POSITIVE_INFINITY);

        FloatVector apply(FloatVector v);

        float apply(float x);

        /**
         * The activation a fused node's epilogue attributes name (see {@code dev.kiln.ir.ops.kiln.FusedOps}): its
         * {@code activation}, {@code activation_params} and {@code activation_approximate}; null when unknown.
         */
        static Activation named(String name, float[] params, String approximate) {
            return switch (name) {
                case "" -> NONE;
                case "Relu" -> RELU;
                case "Clip" -> params.length == 2 ? new Clip(params[0], params[1]) : null;
                case "LeakyRelu" -> params.length == 1 ? new LeakyRelu(params[0]) : null;
                case "HardSigmoid" -> params.length == 2 ? new HardSigmoid(params[0], params[1]) : null;
                case "HardSwish" -> new HardSwish();
                case "Sigmoid" -> new Sigmoid();
                case "Silu" -> new Silu();
                case "Tanh" -> new Tanh();
                case "Gelu" -> switch (approximate) {
                    case "none" -> new Gelu();
                    case "tanh" -> new GeluTanh();
                    default -> null;
                };
                default -> null;
            };
        }
    }

    /** {@code min(max(x, min), max)}; Relu is {@code Clip(0, ∞)}, the identity {@code Clip(-∞, ∞)}. */
    public record Clip(float min, float max) implements Activation {
        @Override public FloatVector apply(FloatVector v) { return v.max(min).min(max); }
        @Override public float apply(float x) { return Math.min(Math.max(x, min), max); }
    }

    /** {@code x} if {@code x ≥ 0}, else {@code alpha·x}. */
    public record LeakyRelu(float alpha) implements Activation {
        @Override public FloatVector apply(FloatVector v) { return v.blend(v.mul(alpha), v.compare(VectorOperators.LT, 0f)); }
        @Override public float apply(float x) { return x >= 0 ? x : alpha * x; }
    }

    /** {@code max(0, min(1, alpha·x + beta))}. */
    public record HardSigmoid(float alpha, float beta) implements Activation {
        @Override public FloatVector apply(FloatVector v) { return v.fma(alpha, beta).max(0f).min(1f); }
        @Override public float apply(float x) { return Math.min(Math.max(Math.fma(x, alpha, beta), 0f), 1f); }
    }

    /** {@code x · max(0, min(1, x/6 + 1/2))}. */
    public record HardSwish() implements Activation {
        private static final float SIXTH = 1f / 6f;
        @Override public FloatVector apply(FloatVector v) { return v.mul(v.fma(SIXTH, 0.5f).max(0f).min(1f)); }
        @Override public float apply(float x) { return x * Math.min(Math.max(Math.fma(x, SIXTH, 0.5f), 0f), 1f); }
    }

    /** The logistic sigmoid, through {@link VectorMath#sigmoid} (at most 2.5 ulp). */
    public record Sigmoid() implements Activation {
        @Override public FloatVector apply(FloatVector v) { return VectorMath.sigmoid(v); }
        @Override public float apply(float x) { return ScalarMath.sigmoid(x); }
    }

    /** {@code x · sigmoid(x)} (Swish with beta 1). */
    public record Silu() implements Activation {
        @Override public FloatVector apply(FloatVector v) { return VectorMath.sigmoid(v).mul(v); }
        @Override public float apply(float x) { return ScalarMath.sigmoid(x) * x; }
    }

    /** The hyperbolic tangent, through {@link VectorMath#tanh}. */
    public record Tanh() implements Activation {
        @Override public FloatVector apply(FloatVector v) { return VectorMath.tanh(v); }
        @Override public float apply(float x) { return ScalarMath.tanh(x); }
    }

    /** The exact GELU {@code x · Φ(x)}, through {@link VectorMath#gelu}. */
    public record Gelu() implements Activation {
        @Override public FloatVector apply(FloatVector v) { return VectorMath.gelu(v); }
        @Override public float apply(float x) { return ScalarMath.gelu(x); }
    }

    /** GELU's tanh approximation {@code x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))}. */
    public record GeluTanh() implements Activation {
        private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
        private static final float CUBIC = 0.044715f;

        @Override public FloatVector apply(FloatVector v) {
            FloatVector t = VectorMath.tanh(v.mul(v).fma(CUBIC, 1f).mul(v).mul(SQRT_2_OVER_PI));
            return t.add(1f).mul(v).mul(0.5f);
        }

        @Override public float apply(float x) {
            float t = ScalarMath.tanh(Math.fma(x * x, CUBIC, 1f) * x * SQRT_2_OVER_PI);
            return (t + 1f) * x * 0.5f;
        }
    }
}
