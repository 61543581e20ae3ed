package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SoftmaxKernelsTest {
    private static final Tensor X = f32(shape(1, 2, 2), 0, Math.log(3), Math.log(3), 0);

    @Test
    void opset13NormalizesAlongOneAxis() {
        Tensor y = OneNode.op("Softmax").opset(13).attr("axis", Attribute.of(1L)).run(X);
        assertTensor(y, shape(1, 2, 2), 0.25, 0.75, 0.75, 0.25);
        Tensor last = OneNode.op("Softmax").opset(13).run(X);
        assertTensor(last, shape(1, 2, 2), 0.25, 0.75, 0.75, 0.25);
    }

    @Test
    void beforeOpset13TheAxisFlattensTrailingDims() {
        // default axis 1: one row of 4 values: 1, 3, 3, 1 over 8
        Tensor y = OneNode.op("Softmax").opset(11).run(X);
        assertTensor(y, shape(1, 2, 2), 0.125, 0.375, 0.375, 0.125);
    }

    @Test
    void logSoftmaxIsStableForLargeInputs() {
        Tensor y = OneNode.op("LogSoftmax").run(f32(shape(2), 1000, 1000));
        assertTensor(y, shape(2), -Math.log(2), -Math.log(2));
    }

    @Test
    void hardmaxMarksTheFirstMaximum() {
        Tensor y = OneNode.op("Hardmax").run(f32(shape(2, 3), 1, 5, 5, 2, 0, 1));
        assertTensor(y, shape(2, 3), 0, 1, 0, 1, 0, 0);
    }

    @Test
    void rejectsIntegersAndBadAxes() {
        assertThrows(InferenceException.class, () -> OneNode.op("Softmax").run(Tensor.ofLongs(DType.I32, shape(2), 1, 2)));
        assertThrows(InferenceException.class, () -> OneNode.op("Softmax").attr("axis", Attribute.of(2L)).run(f32(shape(2), 1, 2)));
    }
}
