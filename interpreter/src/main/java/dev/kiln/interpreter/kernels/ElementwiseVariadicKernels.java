package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Max, Min, Sum and Mean over any number of inputs broadcast together. Values fold left to right in double (floats,
 * rounded once at the end) or long (integers); NaN propagates through Max and Min as in NumPy.
 */
public final class ElementwiseVariadicKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> k = new HashMap<>();
        k.put("Max", ctx -> List.of(fold(ctx, Math::max, Math::max, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b, false)));
        k.put("Min", ctx -> List.of(fold(ctx, Math::min, Math::min, (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b, false)));
        k.put("Sum", ctx -> List.of(fold(ctx, Double::sum, Long::sum, Long::sum, false)));
        k.put("Mean", ctx -> List.of(fold(ctx, Double::sum, Long::sum, Long::sum, true)));
        return k;
    }

    private static Tensor fold(KernelContext ctx, DoubleBinaryOperator onFloat, LongBinaryOperator onSigned,
                               LongBinaryOperator onU64, boolean mean) {
        int count = ctx.inputCount();
        if (count == 0) throw ctx.fail("needs at least one input");
        Tensor[] inputs = new Tensor[count];
        for (int i = 0; i < count; i++) {
            inputs[i] = ctx.input(i);
            if (inputs[i].dtype() != inputs[0].dtype()) {
                throw ctx.fail("inputs must have one element type, got " + inputs[0].dtype() + " and " + inputs[i].dtype());
            }
        }
        DType t = inputs[0].dtype();
        long[] shape = ElementwiseLoops.broadcastShape(ctx, inputs);
        int n = Tensor.checkedSize(shape);
        if (t.isFloat()) {
            double[] acc = new double[n];
            for (int k = 0; k < count; k++) {
                double[] v = inputs[k].toDoubles();
                int[] m = ElementwiseLoops.indexMap(inputs[k], shape);
                for (int i = 0; i < n; i++) {
                    double x = v[ElementwiseLoops.at(m, i)];
                    acc[i] = k == 0 ? x : onFloat.applyAsDouble(acc[i], x);
                }
            }
            if (mean) {
                for (int i = 0; i < n; i++) acc[i] /= count;
            }
            return Tensor.ofDoubles(t, shape, acc);
        }
        if (mean) throw ctx.fail("Mean takes float inputs, got " + t);
        LongBinaryOperator f = t == DType.U64 ? onU64 : onSigned;
        long[] acc = new long[n];
        for (int k = 0; k < count; k++) {
            long[] v = inputs[k].toLongs();
            int[] m = ElementwiseLoops.indexMap(inputs[k], shape);
            for (int i = 0; i < n; i++) {
                long x = v[ElementwiseLoops.at(m, i)];
                acc[i] = k == 0 ? x : f.applyAsLong(acc[i], x);
            }
        }
        return Tensor.ofLongs(t, shape, acc);
    }
}
