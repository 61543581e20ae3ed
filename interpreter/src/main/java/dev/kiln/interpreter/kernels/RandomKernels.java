package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random generators. With a {@code seed} attribute a node draws the same values on every run (java.util.Random
 * seeded from the seed's bits); without one, each run draws fresh values. The draws follow the right
 * distributions but are not NumPy's streams, so conformance outputs (NumPy draws) are not reproduced.
 */
public final class RandomKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("RandomNormal", ctx -> normal(ctx, ctx.intsAttr("shape")),
                "RandomUniform", ctx -> uniform(ctx, ctx.intsAttr("shape")),
                "RandomNormalLike", ctx -> normal(ctx, ctx.input(0).shape()),
                "RandomUniformLike", ctx -> uniform(ctx, ctx.input(0).shape()),
                "Bernoulli", RandomKernels::bernoulli,
                "Multinomial", RandomKernels::multinomial);
    }

    private static Random generator(KernelContext ctx) {
        Attribute seed = ctx.attr("seed");
        return seed == null ? new Random() : new Random(Float.floatToIntBits(seed.asFloat()));
    }

    private static DType outputType(KernelContext ctx) {
        if (ctx.outputType(0) instanceof TensorType t) return t.dtype();
        throw ctx.fail("output must be a tensor");
    }

    private static List<RuntimeValue> normal(KernelContext ctx, long[] shape) {
        Random random = generator(ctx);
        double mean = ctx.floatAttr("mean", 0f), scale = ctx.floatAttr("scale", 1f);
        Tensor out = Tensor.zeros(outputType(ctx), shape);
        for (int i = 0; i < out.size(); i++) out.setDouble(i, mean + scale * random.nextGaussian());
        return List.of(out);
    }

    private static List<RuntimeValue> uniform(KernelContext ctx, long[] shape) {
        Random random = generator(ctx);
        double low = ctx.floatAttr("low", 0f), high = ctx.floatAttr("high", 1f);
        Tensor out = Tensor.zeros(outputType(ctx), shape);
        for (int i = 0; i < out.size(); i++) out.setDouble(i, low + (high - low) * random.nextDouble());
        return List.of(out);
    }

    /** 1 with probability p (the input), else 0. */
    private static List<RuntimeValue> bernoulli(KernelContext ctx) {
        Tensor p = ctx.input(0);
        Random random = generator(ctx);
        Tensor out = Tensor.zeros(outputType(ctx), p.shape());
        for (int i = 0; i < p.size(); i++) {
            double prob = p.getDouble(i);
            if (!(prob >= 0 && prob <= 1)) throw ctx.fail("probability " + prob + " is outside [0, 1]");
            out.setDouble(i, random.nextDouble() < prob ? 1 : 0);
        }
        return List.of(out);
    }

    /** Draws sample_size class indices per row from the softmax of the row's unnormalized log-probabilities. */
    private static List<RuntimeValue> multinomial(KernelContext ctx) {
        Tensor logits = ctx.input(0);
        if (logits.rank() != 2) throw ctx.fail("input must be [batch, classes]");
        int batch = (int) logits.dim(0), classes = (int) logits.dim(1);
        int samples = (int) ctx.intAttr("sample_size", 1);
        Random random = generator(ctx);
        Tensor out = Tensor.zeros(outputType(ctx), batch, samples);
        double[] cumulative = new double[classes];
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < classes; c++) max = Math.max(max, logits.getDouble(b * classes + c));
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits.getDouble(b * classes + c) - max);
                cumulative[c] = sum;
            }
            for (int s = 0; s < samples; s++) {
                double u = random.nextDouble() * sum;
                int c = 0;
                while (c < classes - 1 && cumulative[c] <= u) c++;
                out.setLong(b * samples + s, c);
            }
        }
        return List.of(out);
    }
}
