package dev.kiln.interpreter.kernels;

import dev.kiln.runtime.KilnException;
import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.of;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamicRecurrentKernelsTest {
    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    @Test
    void aTwoStepLstmQuantizesTheInputOnceAndTheHiddenStatePerStep() {
        // X spans [-55, 200]: scale 1, zero point 55, so X·W is exact; W per tensor (scale 1/256), R per column
        Tensor x = f32(shape(2, 1, 2), -55, 200, -55, 200);
        Tensor w = of(DType.I8, shape(1, 2, 4), 1, 0, 0, 2, 0, 1, -1, 0); // [input, gates i o f c]
        Tensor r = of(DType.I8, shape(1, 1, 4), 4, 8, -4, 2);
        Tensor wScale = f32(shape(1), 1.0 / 256), wZero = of(DType.I8, shape(1), 0);
        Tensor rScale = f32(shape(1, 4), 1.0 / 64, 1.0 / 64, 1.0 / 64, 1.0 / 64), rZero = of(DType.I8, shape(1, 4), 0, 0, 0, 0);
        List<RuntimeValue> out = OneNode.op("com.microsoft", "DynamicQuantizeLSTM").attr("hidden_size", Attribute.of(1L))
                .outputs(3).runValues(x, w, r, null, null, null, null, null, wScale, wZero, rScale, rZero);
        double[] in = {-55 / 256.0, 200 / 256.0, -200 / 256.0, -110 / 256.0};
        // step 1: h = 0 quantizes to its zero point, so h·R = 0
        double c1 = sigmoid(in[0]) * Math.tanh(in[3]);
        double h1 = sigmoid(in[1]) * Math.tanh(c1);
        assertTrue(h1 < 0);
        // step 2: h1 < 0 spans [h1, 0]: scale -h1/255, zero point 255, h1 quantizes to 0, i.e. -255 levels
        float hScale = (0f - (float) h1) / 255f;
        double[] st = new double[4];
        int[] rq = {4, 8, -4, 2};
        for (int j = 0; j < 4; j++) st[j] = (float) (-255 * rq[j]) * (hScale * (1f / 64));
        double i2 = sigmoid(in[0] + st[0]), o2 = sigmoid(in[1] + st[1]), f2 = sigmoid(in[2] + st[2]);
        double c2 = f2 * c1 + i2 * Math.tanh(in[3] + st[3]);
        double h2 = o2 * Math.tanh(c2);
        assertTensor((Tensor) out.get(0), shape(2, 1, 1, 1), h1, h2);
        assertTensor((Tensor) out.get(1), shape(1, 1, 1), h2);
        assertTensor((Tensor) out.get(2), shape(1, 1, 1), c2);
    }

    /** Largest |int8-dynamic − float| over Y, Y_h: 8-bit activations and weights over sums of ~10 terms. */
    private static final double TOLERANCE = 0.03;

    @Test
    void aBidirectionalLstmWithPerChannelWeightsStaysCloseToTheFloatLstm() {
        compareWithFloat("LSTM", 4, 0, 41);
    }

    @Test
    void aGruStaysCloseToTheFloatGruWithAndWithoutLinearBeforeReset() {
        compareWithFloat("GRU", 3, 1, 42);
        compareWithFloat("GRU", 3, 0, 43);
    }

    private static void compareWithFloat(String op, int gates, int linearBeforeReset, long seed) {
        int seq = 5, batch = 3, input = 4, hidden = 6, dirs = 2, width = gates * hidden;
        Random random = new Random(seed);
        Tensor x = f32(shape(seq, batch, input), uniform(random, seq * batch * input, 2));
        double[] w = uniform(random, dirs * width * input, 0.6), r = uniform(random, dirs * width * hidden, 0.6);
        Tensor b = f32(shape(dirs, 2 * width), uniform(random, dirs * 2 * width, 0.3));
        Tensor h0 = f32(shape(dirs, batch, hidden), uniform(random, dirs * batch * hidden, 0.5));
        boolean lstm = op.equals("LSTM");
        OneNode reference = OneNode.op(op).attr("hidden_size", Attribute.of((long) hidden)).attr("direction", Attribute.of("bidirectional"));
        OneNode quantized = OneNode.op(lstm ? "com.microsoft" : "kiln", "DynamicQuantize" + op)
                .attr("hidden_size", Attribute.of((long) hidden)).attr("direction", Attribute.of("bidirectional"));
        if (!lstm) {
            reference.attr("linear_before_reset", Attribute.of((long) linearBeforeReset));
            quantized.attr("linear_before_reset", Attribute.of((long) linearBeforeReset));
        }
        Tensor wf = f32(shape(dirs, width, input), w), rf = f32(shape(dirs, width, hidden), r);
        Tensor[] wq = perColumn(w, dirs, width, input), rq = perColumn(r, dirs, width, hidden);
        List<RuntimeValue> expected, actual;
        if (lstm) {
            expected = reference.outputs(3).runValues(x, wf, rf, b, null, h0);
            actual = quantized.outputs(3).runValues(x, wq[0], rq[0], b, null, h0, null, null, wq[1], wq[2], rq[1], rq[2]);
        } else {
            expected = reference.outputs(2).runValues(x, wf, rf, b, null, h0);
            actual = quantized.outputs(2).runValues(x, wq[0], rq[0], b, null, h0, wq[1], wq[2], rq[1], rq[2]);
        }
        for (int o = 0; o < expected.size(); o++) {
            Tensor e = (Tensor) expected.get(o), a = (Tensor) actual.get(o);
            assertEquals(e.type(), a.type());
            double worst = 0;
            for (int i = 0; i < e.size(); i++) worst = Math.max(worst, Math.abs(e.getDouble(i) - a.getDouble(i)));
            assertTrue(worst < TOLERANCE, op + " output " + o + " differs by " + worst);
            assertTrue(worst > 0, "the quantized " + op + " computed in float");
        }
    }

    /** {@code [dirs, rows, k]} float weights as int8 {@code [dirs, k, rows]}, symmetric per row, with scales and zero points. */
    private static Tensor[] perColumn(double[] w, int dirs, int rows, int k) {
        long[] q = new long[w.length];
        double[] scales = new double[dirs * rows];
        for (int d = 0; d < dirs; d++) {
            for (int j = 0; j < rows; j++) {
                double max = 0;
                for (int i = 0; i < k; i++) max = Math.max(max, Math.abs(w[(d * rows + j) * k + i]));
                float s = (float) (max / 127);
                scales[d * rows + j] = s;
                for (int i = 0; i < k; i++) q[(d * k + i) * rows + j] = Math.round(w[(d * rows + j) * k + i] / s);
            }
        }
        return new Tensor[] {of(DType.I8, shape(dirs, k, rows), q), f32(shape(dirs, rows), scales), of(DType.I8, shape(dirs, rows), new long[dirs * rows])};
    }

    private static double[] uniform(Random random, int n, double bound) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (random.nextDouble() * 2 - 1) * bound;
        return v;
    }

    @Test
    void scalesOfTheWrongShapeAreRefusedNamingTheNode() {
        Tensor x = f32(shape(1, 1, 2), 1, 2);
        KilnException e = assertThrows(KilnException.class, () -> OneNode.op("kiln", "DynamicQuantizeGRU")
                .attr("hidden_size", Attribute.of(1L)).outputs(2).runValues(x, of(DType.I8, shape(1, 2, 3), 1, 2, 3, 4, 5, 6),
                        of(DType.I8, shape(1, 1, 3), 1, 2, 3), null, null, null, f32(shape(2), 1, 1), of(DType.I8, shape(1), 0),
                        f32(shape(1), 1), of(DType.I8, shape(1), 0)));
        assertTrue(e.getMessage().contains("W's scale"), e.getMessage());
    }
}
