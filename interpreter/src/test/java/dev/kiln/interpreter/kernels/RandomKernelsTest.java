package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RandomKernelsTest {
    @Test
    void seededDrawsRepeatAndFollowTheDistribution() {
        OneNode normal = OneNode.op("RandomNormal").opset(22).attr("shape", Attribute.ints(20000))
                .attr("mean", Attribute.of(3f)).attr("scale", Attribute.of(2f)).attr("seed", Attribute.of(7f));
        double[] a = normal.run().toDoubles(), b = normal.run().toDoubles();
        assertArrayEquals(a, b);
        double mean = 0, var = 0;
        for (double v : a) mean += v / a.length;
        for (double v : a) var += (v - mean) * (v - mean) / a.length;
        assertEquals(3, mean, 0.05);
        assertEquals(4, var, 0.15);
    }

    @Test
    void bernoulliHonoursCertainOutcomesAndMultinomialPicksTheOnlyClass() {
        Tensor p = Tensor.ofDoubles(DType.F32, new long[] {3}, 0, 1, 1);
        assertArrayEquals(new double[] {0, 1, 1}, OneNode.op("Bernoulli").opset(22).run(p).toDoubles());
        Tensor logits = Tensor.ofDoubles(DType.F32, new long[] {1, 3}, Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY);
        Tensor draws = OneNode.op("Multinomial").opset(7).attr("sample_size", Attribute.of(4L)).run(logits);
        assertArrayEquals(new long[] {1, 1, 1, 1}, draws.toLongs());
    }

    @Test
    void integerOutputTypesAreRejected() {
        assertThrows(InferenceException.class, () -> OneNode.op("RandomUniform").opset(22).attr("shape", Attribute.ints(2))
                .attr("dtype", Attribute.of((long) DType.I32.onnxCode())).run());
    }
}
