package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.NumericFormats;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Cast, CastLike, BitCast, and the ops that pass data through: Identity, Dropout (inference and training), Binarizer. */
public final class ElementwiseTypeKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> k = new HashMap<>();
        k.put("Cast", ctx -> List.of(castTo(ctx, outputDType(ctx))));
        k.put("CastLike", ctx -> List.of(castTo(ctx, ctx.input(1).dtype())));
        k.put("BitCast", ctx -> List.of(bitCast(ctx, ctx.input(0), outputDType(ctx))));
        k.put("Identity", ctx -> {
            RuntimeValue v = ctx.value(0);
            if (v == null) throw ctx.fail("input 0 is required");
            return List.of(v);
        });
        k.put("Dropout", ElementwiseTypeKernels::dropout);
        k.put("ai.onnx.ml:Binarizer", ctx -> {
            double threshold = ctx.floatAttr("threshold", 0.0f);
            return List.of(ElementwiseLoops.mapDoubles(ctx.input(0), x -> x > threshold ? 1 : 0));
        });
        return k;
    }

    /** The element type that inference gave output 0 (Cast's and BitCast's {@code to}). */
    private static DType outputDType(KernelContext ctx) {
        if (ctx.outputType(0) instanceof TensorType t) return t.dtype();
        throw ctx.fail("output must be a tensor, got " + ctx.outputType(0));
    }

    private static Tensor castTo(KernelContext ctx, DType to) {
        boolean saturate = ctx.intAttr("saturate", 1) != 0;
        String mode = ctx.stringAttr("round_mode", "up");
        NumericFormats.E8M0Rounding rounding;
        try {
            rounding = NumericFormats.E8M0Rounding.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ctx.fail("round_mode must be up, down or nearest, got '" + mode + "'");
        }
        return ElementwiseCasting.cast(ctx, ctx.input(0), to, saturate, rounding);
    }

    /** Reinterprets each element's bits as another type of the same width. */
    private static Tensor bitCast(KernelContext ctx, Tensor x, DType to) {
        DType from = x.dtype();
        if (from == DType.STRING || to == DType.STRING || from.bits() != to.bits()) {
            throw ctx.fail("cannot reinterpret " + from + " as " + to);
        }
        ByteBuffer data = x.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        if (from.isSubByte()) {
            int bits = from.bits();
            int mask = (1 << bits) - 1;
            boolean signed = to.kind() == DType.Kind.SIGNED;
            for (int i = 0; i < bytes.length; i++) {
                int raw = bytes[i] & mask;
                bytes[i] = (byte) (signed ? (raw << (32 - bits)) >> (32 - bits) : raw);
            }
        } else if (to == DType.BOOL) {
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (bytes[i] != 0 ? 1 : 0);
        }
        return Tensor.fromStorage(to, x.shape(), ByteBuffer.wrap(bytes));
    }

    /**
     * Inference mode (the default, and always before opset 12, where the runtime rather than the graph chose the
     * mode) passes data through with an all-true mask. Training mode keeps each element with probability
     * 1 - ratio and scales kept ones by 1 / (1 - ratio).
     */
    private static List<RuntimeValue> dropout(KernelContext ctx) {
        Tensor x = ctx.input(0);
        double ratio;
        boolean training;
        if (ctx.opset() >= 12) {
            ratio = ctx.hasInput(1) ? scalar(ctx, 1).getDouble(0) : 0.5;
            training = ctx.hasInput(2) && scalar(ctx, 2).getLong(0) != 0;
        } else {
            ratio = ctx.floatAttr("ratio", 0.5f);
            training = false;
        }
        int n = x.size();
        boolean[] keep = new boolean[n];
        Tensor y;
        if (!training || ratio == 0) {
            Arrays.fill(keep, true);
            y = x;
        } else {
            if (!(ratio > 0 && ratio < 1)) throw ctx.fail("ratio must be in [0, 1) in training mode, got " + ratio);
            long seed = ctx.attr("seed") != null ? ctx.intAttr("seed", 0) : ThreadLocalRandom.current().nextLong(1L << 32);
            ElementwiseDropoutRandom random = new ElementwiseDropoutRandom(seed);
            double scale = 1 / (1 - ratio);
            double[] v = x.toDoubles();
            for (int i = 0; i < n; i++) {
                keep[i] = random.nextDouble() >= ratio;
                v[i] = keep[i] ? v[i] * scale : 0;
            }
            y = Tensor.ofDoubles(x.dtype(), x.shape(), v);
        }
        List<RuntimeValue> out = new ArrayList<>();
        out.add(y);
        if (ctx.outputCount() > 1) out.add(mask(ctx, x, keep));
        return out;
    }

    private static Tensor scalar(KernelContext ctx, int i) {
        Tensor t = ctx.input(i);
        if (t.size() != 1) throw ctx.fail("input " + i + " must hold one value, got " + t.type());
        return t;
    }

    /** Dropout-10 made the mask bool; before it, the mask had the data's type with ones for kept elements. */
    private static Tensor mask(KernelContext ctx, Tensor x, boolean[] keep) {
        if (ctx.opset() >= 10) return ElementwiseLoops.bools(x.shape(), keep);
        double[] ones = new double[keep.length];
        for (int i = 0; i < keep.length; i++) ones[i] = keep[i] ? 1 : 0;
        return Tensor.ofDoubles(x.dtype(), x.shape(), ones);
    }
}
