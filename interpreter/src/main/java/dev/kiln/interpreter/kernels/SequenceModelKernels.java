package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** RotaryEmbedding, CausalConvWithState and SwiGLU; LinearAttention lives in its own file. */
public final class SequenceModelKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("RotaryEmbedding", SequenceModelKernels::rotary,
                "LinearAttention", LinearAttentionKernel::run,
                "CausalConvWithState", SequenceModelKernels::causalConv,
                "SwiGLU", SequenceModelKernels::swiGlu);
    }

    /**
     * Rotates the first {@code rotary_embedding_dim} features of each head by position-dependent angles: halves
     * (x[k], x[k + d/2]) or, interleaved, pairs (x[2k], x[2k+1]) are turned by (cos, sin) from the caches.
     */
    private static List<RuntimeValue> rotary(KernelContext ctx) {
        Tensor x = ctx.input(0), cosCache = ctx.input(1), sinCache = ctx.input(2);
        boolean interleaved = ctx.intAttr("interleaved", 0) != 0;
        int batch = (int) x.dim(0), heads, seq, headSize;
        boolean headsFirst = x.rank() == 4;
        if (headsFirst) {
            heads = (int) x.dim(1);
            seq = (int) x.dim(2);
            headSize = (int) x.dim(3);
        } else if (x.rank() == 3) {
            heads = (int) ctx.intAttr("num_heads", 0);
            if (heads <= 0 || x.dim(2) % heads != 0) throw ctx.fail("3D input needs num_heads dividing its hidden size");
            seq = (int) x.dim(1);
            headSize = (int) (x.dim(2) / heads);
        } else {
            throw ctx.fail("input must be 3D or 4D, got rank " + x.rank());
        }
        int rotaryDim = (int) ctx.intAttr("rotary_embedding_dim", 0);
        if (rotaryDim == 0) rotaryDim = headSize;
        if (rotaryDim > headSize || rotaryDim % 2 != 0) throw ctx.fail("rotary_embedding_dim " + rotaryDim + " must be even and <= head size " + headSize);
        int half = rotaryDim / 2;
        long[] positions = ctx.hasInput(3) ? ctx.input(3).toLongs() : null;
        int width = (int) cosCache.dim(cosCache.rank() - 1);
        if (width < half || !Arrays.equals(cosCache.shape(), sinCache.shape())) throw ctx.fail("cos/sin caches must match and hold rotary_dim/2 values per row");
        if (positions != null && (cosCache.rank() != 2 || positions.length != batch * seq)) throw ctx.fail("with position_ids the caches are 2D and position_ids is [batch, seq]");
        if (positions == null && (cosCache.rank() != 3 || cosCache.dim(0) != batch || cosCache.dim(1) != seq)) throw ctx.fail("without position_ids the caches must be [batch, seq, rotary_dim/2]");
        double[] in = x.toDoubles(), cos = cosCache.toDoubles(), sin = sinCache.toDoubles();
        double[] out = in.clone();
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < seq; s++) {
                long row = positions == null ? (long) b * seq + s : positions[b * seq + s];
                if (row < 0 || row >= cosCache.dim(0) * (positions == null ? seq : 1)) throw ctx.fail("position id " + row + " is outside the cache");
                int cacheBase = (int) row * width;
                for (int h = 0; h < heads; h++) {
                    int base = headsFirst ? ((b * heads + h) * seq + s) * headSize : ((b * seq + s) * heads + h) * headSize;
                    for (int k = 0; k < half; k++) {
                        int i1 = interleaved ? base + 2 * k : base + k;
                        int i2 = interleaved ? i1 + 1 : i1 + half;
                        double c = cos[cacheBase + k], sn = sin[cacheBase + k];
                        out[i1] = in[i1] * c - in[i2] * sn;
                        out[i2] = in[i1] * sn + in[i2] * c;
                    }
                }
            }
        }
        return List.of(Tensor.ofDoubles(x.dtype(), x.shape(), out));
    }

    /** Depthwise causal 1D convolution over [past_state (or zeros), input]; the state keeps the last k-1 steps. */
    private static List<RuntimeValue> causalConv(KernelContext ctx) {
        Tensor x = ctx.input(0), w = ctx.input(1);
        if (x.rank() != 3 || w.rank() != 3) throw ctx.fail("input and weight must be 3D");
        int batch = (int) x.dim(0), channels = (int) x.dim(1), length = (int) x.dim(2), kernel = (int) w.dim(2);
        if (w.dim(0) != channels || w.dim(1) != 1 || kernel < 1) throw ctx.fail("weight must be [channels, 1, k]");
        int carry = kernel - 1;
        double[] bias = ctx.hasInput(2) ? ctx.input(2).toDoubles() : new double[channels];
        if (bias.length != channels) throw ctx.fail("bias must have one value per channel");
        double[] past = null;
        if (ctx.hasInput(3)) {
            Tensor p = ctx.input(3);
            if (!Arrays.equals(p.shape(), new long[] {batch, channels, carry})) throw ctx.fail("past_state must be [batch, channels, k-1]");
            past = p.toDoubles();
        }
        String activation = ctx.stringAttr("activation", "none");
        boolean silu = activation.equals("silu") || activation.equals("swish");
        if (!silu && !activation.equals("none")) throw ctx.fail("unknown activation '" + activation + "'");
        double[] in = x.toDoubles(), weight = w.toDoubles();
        double[] out = new double[in.length], state = new double[batch * channels * carry];
        double[] padded = new double[carry + length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int row = b * channels + c;
                Arrays.fill(padded, 0);
                if (past != null) System.arraycopy(past, row * carry, padded, 0, carry);
                System.arraycopy(in, row * length, padded, carry, length);
                for (int t = 0; t < length; t++) {
                    double sum = bias[c];
                    for (int k = 0; k < kernel; k++) sum += weight[c * kernel + k] * padded[t + k];
                    out[row * length + t] = silu ? sum / (1 + Math.exp(-sum)) : sum;
                }
                System.arraycopy(padded, length, state, row * carry, carry);
            }
        }
        return List.of(Tensor.ofDoubles(x.dtype(), x.shape(), out),
                Tensor.ofDoubles(x.dtype(), new long[] {batch, channels, carry}, state));
    }

    /** {@code Swish_alpha(A) · B}, elementwise over equal shapes. */
    private static List<RuntimeValue> swiGlu(KernelContext ctx) {
        Tensor a = ctx.input(0), b = ctx.input(1);
        if (!Arrays.equals(a.shape(), b.shape())) throw ctx.fail("A and B must have the same shape");
        double alpha = ctx.floatAttr("alpha", 1f);
        double[] x = a.toDoubles(), y = b.toDoubles();
        for (int i = 0; i < x.length; i++) x[i] = x[i] / (1 + Math.exp(-alpha * x[i])) * y[i];
        return List.of(Tensor.ofDoubles(a.dtype(), a.shape(), x));
    }
}
