package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.ops.onnx.EinsumEquation;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;

/**
 * Einsum by direct summation: walks every combination of label values (output labels outermost), multiplying the
 * operand elements each combination selects. A label repeated within one operand walks its diagonal; broadcast
 * ellipsis dims of size 1 stay put.
 */
final class EinsumKernel {
    private EinsumKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        int count = ctx.inputCount();
        Tensor[] ins = new Tensor[count];
        int[] ranks = new int[count];
        long[][] shapes = new long[count][];
        for (int i = 0; i < count; i++) {
            ins[i] = ctx.input(i);
            ranks[i] = ins[i].rank();
            shapes[i] = ins[i].shape();
        }
        EinsumEquation eq;
        long[] sizes;
        try {
            eq = EinsumEquation.parse(ctx.stringAttr("equation", ""), ranks);
            sizes = eq.labelSizes(shapes);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        int[] labels = eq.allLabels();
        int labelCount = labels.length;
        // strides[i][l]: how far operand i moves when label l advances by one
        long[][] strides = new long[count][labelCount];
        double[][] data = new double[count][];
        for (int i = 0; i < count; i++) {
            long[] own = Indexing.strides(shapes[i]);
            int[] ids = eq.inputs()[i];
            for (int a = 0; a < ids.length; a++) {
                int l = indexOf(labels, ids[a]);
                if (shapes[i][a] != 1 || sizes[l] == 1) strides[i][l] += own[a];
            }
            data[i] = ins[i].toDoubles();
        }
        int outRank = eq.output().length;
        long[] outShape = new long[outRank];
        for (int a = 0; a < outRank; a++) outShape[a] = sizes[a];
        int outSize = (int) Indexing.product(outShape);
        long[] inner = java.util.Arrays.copyOfRange(sizes, outRank, labelCount);
        int innerSize = (int) Indexing.product(inner);
        double[] y = new double[outSize];
        long[] idx = new long[labelCount];
        for (int o = 0; o < outSize; o++) {
            double sum = 0;
            for (int s = 0; s < innerSize; s++) {
                double product = 1;
                for (int i = 0; i < count; i++) {
                    long off = 0;
                    for (int l = 0; l < labelCount; l++) off += idx[l] * strides[i][l];
                    product *= data[i][(int) off];
                }
                sum += product;
                advance(idx, sizes, outRank, labelCount);
            }
            y[o] = sum;
            advance(idx, sizes, 0, outRank);
        }
        return List.of(NnTensors.of(ins[0].dtype(), outShape, y));
    }

    /** Odometer step over the labels {@code [from, to)}, wrapping to zero after the last combination. */
    private static void advance(long[] idx, long[] sizes, int from, int to) {
        for (int l = to - 1; l >= from; l--) {
            if (++idx[l] < sizes[l]) return;
            idx[l] = 0;
        }
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == id) return i;
        throw new IllegalStateException("label " + id + " missing");
    }
}
