package dev.kiln.cli;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** Test support: reference kernels for the ops of {@link TestModels}, in their own domain {@code test.kiln}. */
public final class TestKernels implements KernelFamily {
    static final String DOMAIN = "test.kiln";

    @Override
    public Map<String, Kernel> kernels() {
        return Map.of(DOMAIN + ":Scale", TestKernels::scale, DOMAIN + ":Spin", TestKernels::spin,
                DOMAIN + ":MeanClass", TestKernels::meanClass, DOMAIN + ":Exhaust", TestKernels::exhaust);
    }

    private static List<RuntimeValue> scale(dev.kiln.interpreter.KernelContext ctx) {
        Tensor x = ctx.input(0);
        double factor = ctx.floatAttr("factor", 1f);
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0; i < x.size(); i++) y.setDouble(i, x.getDouble(i) * factor);
        return List.of(y);
    }

    /** Busy-waits until its thread is interrupted, as a runaway kernel would (but one that notices interruption). */
    private static List<RuntimeValue> spin(dev.kiln.interpreter.KernelContext ctx) {
        while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
        return List.of(ctx.input(0));
    }

    /** Asks for more memory than any test JVM has: a real OutOfMemoryError, without filling the heap. */
    private static List<RuntimeValue> exhaust(dev.kiln.interpreter.KernelContext ctx) {
        long[] huge = new long[Integer.MAX_VALUE - 8];
        return List.of(Tensor.scalar(DType.F32, huge.length));
    }

    private static List<RuntimeValue> meanClass(dev.kiln.interpreter.KernelContext ctx) {
        Tensor x = ctx.input(0);
        int batch = (int) x.dim(0);
        int per = x.size() / Math.max(batch, 1);
        Tensor logits = Tensor.zeros(DType.F32, batch, 10);
        for (int b = 0; b < batch; b++) {
            double sum = 0;
            for (int k = 0; k < per; k++) sum += x.getDouble(b * per + k);
            int cls = (int) Math.round(9 * sum / per);
            for (int c = 0; c < 10; c++) logits.setDouble(b * 10 + c, c == cls ? 1 : -Math.abs(c - cls));
        }
        return List.of(logits);
    }
}
