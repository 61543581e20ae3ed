package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.interpreter.kernels.NnTestTensors.assertTensor;
import static dev.kiln.interpreter.kernels.NnTestTensors.f32;
import static dev.kiln.interpreter.kernels.NnTestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NormalizationKernelsTest {

    @Test
    void batchNormUsesRunningStatistics() {
        Tensor x = f32(shape(1, 2, 2), 1, 3, 5, 7);
        Tensor y = OneNode.op("BatchNormalization").attr("epsilon", Attribute.of(0f))
                .run(x, f32(shape(2), 1, 2), f32(shape(2), 0, 1), f32(shape(2), 2, 6), f32(shape(2), 1, 4));
        assertTensor(y, shape(1, 2, 2), -1, 1, 0, 2);
    }

    @Test
    void batchNormTrainingModeBlendsBatchStatistics() {
        Tensor x = f32(shape(2, 1), 1, 3);
        List<RuntimeValue> out = OneNode.op("BatchNormalization").attr("epsilon", Attribute.of(0f))
                .attr("momentum", Attribute.of(0.5f)).attr("training_mode", Attribute.of(1L)).outputs(3)
                .runValues(x, f32(shape(1), 1), f32(shape(1), 0), f32(shape(1), 0), f32(shape(1), 1));
        assertTensor((Tensor) out.get(0), shape(2, 1), -1, 1);
        assertTensor((Tensor) out.get(1), shape(1), 1); // 0 * 0.5 + 2 * 0.5
        assertTensor((Tensor) out.get(2), shape(1), 1); // 1 * 0.5 + 1 * 0.5
    }

    @Test
    void instanceNormStandardizesEachPlane() {
        Tensor y = OneNode.op("InstanceNormalization").attr("epsilon", Attribute.of(0f))
                .run(f32(shape(1, 1, 2), 1, 3), f32(shape(1), 2), f32(shape(1), 1));
        assertTensor(y, shape(1, 1, 2), -1, 3);
    }

    @Test
    void layerNormReturnsMeanAndInverseStd() {
        List<RuntimeValue> out = OneNode.op("LayerNormalization").attr("epsilon", Attribute.of(0f)).outputs(3)
                .runValues(f32(shape(2, 2), 1, 3, 0, 4), f32(shape(2), 1, 2), f32(shape(2), 0, 1));
        assertTensor((Tensor) out.get(0), shape(2, 2), -1, 3, -1, 3);
        assertTensor((Tensor) out.get(1), shape(2, 1), 2, 2);
        assertTensor((Tensor) out.get(2), shape(2, 1), 1, 0.5);
    }

    @Test
    void groupNormSharesStatisticsWithinAGroup() {
        // 2 channels in one group: values 1, 3 | 5, 7 -> mean 4, var 5
        Tensor y = OneNode.op("GroupNormalization").attr("num_groups", Attribute.of(1L)).attr("epsilon", Attribute.of(0f))
                .run(f32(shape(1, 2, 2), 1, 3, 5, 7), f32(shape(2), 1, 1), f32(shape(2), 0, 10));
        double s = Math.sqrt(5);
        assertTensor(y, shape(1, 2, 2), -3 / s, -1 / s, 10 + 1 / s, 10 + 3 / s);
    }

    @Test
    void rmsNormDividesByRootMeanSquare() {
        Tensor y = OneNode.op("RMSNormalization").opset(23).attr("epsilon", Attribute.of(0f))
                .run(f32(shape(1, 2), 3, 4), f32(shape(2), 1, 2));
        double rms = Math.sqrt(12.5);
        assertTensor(y, shape(1, 2), 3 / rms, 8 / rms);
    }

    @Test
    void lpNormalizationKeepsZeroRunsZero() {
        Tensor y = OneNode.op("LpNormalization").attr("axis", Attribute.of(1L)).run(f32(shape(2, 2), 3, 4, 0, 0));
        assertTensor(y, shape(2, 2), 0.6, 0.8, 0, 0);
        Tensor l1 = OneNode.op("LpNormalization").attr("p", Attribute.of(1L)).run(f32(shape(2), 1, -3));
        assertTensor(l1, shape(2), 0.25, -0.75);
    }

    @Test
    void meanVarianceNormalizationOverChosenAxes() {
        Tensor y = OneNode.op("MeanVarianceNormalization").attr("axes", Attribute.ints(1)).run(f32(shape(2, 2), 1, 3, 2, 2));
        assertTensor(y, shape(2, 2), -1, 1, 0, 0);
    }

    @Test
    void lrnNormalizesAcrossNeighbouringChannels() {
        // size 2 looks at the channel itself and the one after it
        Tensor y = OneNode.op("LRN").attr("size", Attribute.of(2L)).attr("alpha", Attribute.of(2f))
                .attr("beta", Attribute.of(1f)).attr("bias", Attribute.of(1f)).run(f32(shape(1, 2, 1), 1, 2));
        assertTensor(y, shape(1, 2, 1), 1 / (1 + 5.0), 2 / (1 + 4.0));
    }

    @Test
    void badParametersAreReported() {
        assertThrows(KilnException.class, () -> OneNode.op("InstanceNormalization")
                .run(f32(shape(1, 2, 1), 1, 2), f32(shape(1), 1), f32(shape(1), 0)));
        assertThrows(InferenceException.class, () -> OneNode.op("LayerNormalization").attr("axis", Attribute.of(3L))
                .run(f32(shape(2), 1, 2), f32(shape(2), 1, 1)));
    }
}
