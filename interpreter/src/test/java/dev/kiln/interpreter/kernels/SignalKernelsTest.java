package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalKernelsTest {
    @Test
    void dftOfAnImpulseIsFlatAndRoundTrips() {
        Tensor x = Tensor.ofDoubles(DType.F32, new long[] {1, 4, 1}, 1, 0, 0, 0);
        Tensor spectrum = OneNode.op("DFT").opset(17).run(x);
        assertArrayEquals(new double[] {1, 0, 1, 0, 1, 0, 1, 0}, spectrum.toDoubles(), 1e-6);
        Tensor half = OneNode.op("DFT").opset(20).attr("onesided", Attribute.of(1L)).run(x);
        assertArrayEquals(new long[] {1, 3, 2}, half.shape());
        Tensor back = OneNode.op("DFT").opset(20).attr("onesided", Attribute.of(1L)).attr("inverse", Attribute.of(1L)).run(half);
        assertArrayEquals(x.toDoubles(), back.toDoubles(), 1e-6);
    }

    @Test
    void dftOfOddLengthMatchesTheDefinition() {
        Tensor x = Tensor.ofDoubles(DType.F64, new long[] {3, 1}, 1, 2, 3);
        Tensor y = OneNode.op("DFT").opset(17).attr("axis", Attribute.of(0L)).run(x);
        double c = Math.cos(2 * Math.PI / 3), s = Math.sin(2 * Math.PI / 3);
        assertArrayEquals(new double[] {6, 0, 1 + 2 * c + 3 * c, -2 * s + 3 * s, 1 + 2 * c + 3 * c, 2 * s - 3 * s}, y.toDoubles(), 1e-12);
    }

    @Test
    void windowsFollowTheirFormulas() {
        Tensor size = Tensor.ofLongs(DType.I32, new long[0], 4);
        assertArrayEquals(new double[] {0, 0.5, 1, 0.5}, OneNode.op("HannWindow").opset(17).run(size).toDoubles(), 1e-7);
        assertArrayEquals(new double[] {0, 0.75, 0.75, 0}, OneNode.op("HannWindow").opset(17)
                .attr("periodic", Attribute.of(0L)).run(size).toDoubles(), 1e-7);
    }

    @Test
    void stftFramesTheSignal() {
        Tensor signal = Tensor.ofDoubles(DType.F32, new long[] {1, 6, 1}, 1, 1, 1, 1, 1, 1);
        Tensor y = OneNode.op("STFT").opset(17).run(signal, Tensor.ofLongs(DType.I64, new long[0], 2), null,
                Tensor.ofLongs(DType.I64, new long[0], 4));
        assertArrayEquals(new long[] {1, 2, 3, 2}, y.shape());
        assertArrayEquals(new double[] {4, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(y.toDoubles(), 6), 1e-6);
    }

    @Test
    void dftRejectsAnAxisOnThePartsDim() {
        Tensor x = Tensor.zeros(DType.F32, 1, 4, 1);
        assertThrows(InferenceException.class, () -> OneNode.op("DFT").opset(17).attr("axis", Attribute.of(2L)).run(x));
    }
}
