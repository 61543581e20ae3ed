package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecurrentKernelsTest {
    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    @Test
    void rnnForwardWithBias() {
        List<RuntimeValue> out = OneNode.op("RNN").attr("hidden_size", Attribute.of(1L)).outputs(2).runValues(
                f32(shape(2, 1, 1), 1, 2), f32(shape(1, 1, 1), 0.5), f32(shape(1, 1, 1), 0.25), f32(shape(1, 2), 0.1, 0.2));
        double h1 = Math.tanh(0.5 + 0.3);
        double h2 = Math.tanh(1.0 + 0.25 * h1 + 0.3);
        assertTensor((Tensor) out.get(0), shape(2, 1, 1, 1), h1, h2);
        assertTensor((Tensor) out.get(1), shape(1, 1, 1), h2);
    }

    @Test
    void reverseRnnHonoursSequenceLengths() {
        // batch row 1 has length 1: its only step is t = 0 and Y stays zero at t = 1
        Tensor x = f32(shape(2, 2, 1), 1, 3, 2, 4);
        List<RuntimeValue> out = OneNode.op("RNN").attr("direction", Attribute.of("reverse")).outputs(2).runValues(
                x, f32(shape(1, 1, 1), 1), f32(shape(1, 1, 1), 1), null, Tensor.ofLongs(DType.I32, shape(2), 2, 1));
        double b0t1 = Math.tanh(2);
        double b0t0 = Math.tanh(1 + b0t1);
        double b1t0 = Math.tanh(3);
        assertTensor((Tensor) out.get(0), shape(2, 1, 2, 1), b0t0, b1t0, b0t1, 0);
        assertTensor((Tensor) out.get(1), shape(1, 2, 1), b0t0, b1t0);
    }

    @Test
    void lstmSingleStepWithPeepholes() {
        Tensor w = f32(shape(1, 4, 1), 0.1, 0.2, 0.3, 0.4); // gates i, o, f, c
        Tensor r = f32(shape(1, 4, 1), 0, 0, 0, 0);
        Tensor p = f32(shape(1, 3), 0.5, 0.6, 0.7); // peepholes i, o, f
        Tensor c0 = f32(shape(1, 1, 1), 1);
        List<RuntimeValue> out = OneNode.op("LSTM").attr("hidden_size", Attribute.of(1L)).outputs(3)
                .runValues(f32(shape(1, 1, 1), 1), w, r, null, null, null, c0, p);
        double i = sigmoid(0.1 + 0.5);
        double f = sigmoid(0.3 + 0.7);
        double c = f * 1 + i * Math.tanh(0.4);
        double o = sigmoid(0.2 + 0.6 * c);
        assertTensor((Tensor) out.get(1), shape(1, 1, 1), o * Math.tanh(c));
        assertTensor((Tensor) out.get(2), shape(1, 1, 1), c);
    }

    @Test
    void gruResetPlacementDependsOnLinearBeforeReset() {
        Tensor x = f32(shape(1, 1, 1), 1);
        Tensor w = f32(shape(1, 3, 1), 0.1, 0.2, 0.3); // z, r, h
        Tensor r = f32(shape(1, 3, 1), 0.4, 0.5, 0.6);
        Tensor b = f32(shape(1, 6), 0, 0, 0, 0, 0, 0.7);
        Tensor h0 = f32(shape(1, 1, 1), 0.5);
        double z = sigmoid(0.1 + 0.4 * 0.5);
        double reset = sigmoid(0.2 + 0.5 * 0.5);
        double before = Math.tanh(0.3 + 0.6 * (reset * 0.5) + 0.7);
        double linear = Math.tanh(0.3 + reset * (0.6 * 0.5 + 0.7));
        for (long lbr : new long[] {0, 1}) {
            List<RuntimeValue> out = OneNode.op("GRU").attr("linear_before_reset", Attribute.of(lbr)).outputs(2)
                    .runValues(x, w, r, b, null, h0);
            double hc = lbr == 0 ? before : linear;
            assertTensor((Tensor) out.get(1), shape(1, 1, 1), (1 - z) * hc + z * 0.5);
        }
    }

    @Test
    void bidirectionalBatchFirstLayout() {
        Tensor x = f32(shape(1, 2, 1), 1, 2); // batch 1, seq 2
        Tensor w = f32(shape(2, 1, 1), 1, 1);
        Tensor r = f32(shape(2, 1, 1), 0, 0);
        List<RuntimeValue> out = OneNode.op("RNN").attr("direction", Attribute.of("bidirectional"))
                .attr("layout", Attribute.of(1L)).attr("activations", Attribute.strings(List.of("Relu", "Affine")))
                .attr("activation_alpha", Attribute.floats(2f)).attr("activation_beta", Attribute.floats(1f))
                .outputs(2).runValues(x, w, r);
        // forward relu(x); reverse affine 2x + 1
        assertTensor((Tensor) out.get(0), shape(1, 2, 2, 1), 1, 3, 2, 5);
        assertTensor((Tensor) out.get(1), shape(1, 2, 1), 2, 3);
    }

    @Test
    void wrongWeightShapesAndUnknownActivationsFail() {
        assertThrows(KilnException.class, () -> OneNode.op("GRU").attr("hidden_size", Attribute.of(1L))
                .runValues(f32(shape(1, 1, 1), 1), f32(shape(1, 1, 1), 1), f32(shape(1, 1, 1), 1)));
        assertThrows(KilnException.class, () -> OneNode.op("RNN").attr("activations", Attribute.strings(List.of("Swoosh")))
                .runValues(f32(shape(1, 1, 1), 1), f32(shape(1, 1, 1), 1), f32(shape(1, 1, 1), 1)));
    }
}
