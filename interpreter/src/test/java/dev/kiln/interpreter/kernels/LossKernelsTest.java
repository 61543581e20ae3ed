package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LossKernelsTest {
    private final Tensor logProbs = Tensor.ofDoubles(DType.F32, new long[] {2, 3}, -1, -2, -3, -4, -5, -6);
    private final Tensor target = Tensor.ofLongs(DType.I64, new long[] {2}, 2, 0);

    @Test
    void nllPicksTheTargetClass() {
        Tensor none = OneNode.op("NegativeLogLikelihoodLoss").opset(13).attr("reduction", Attribute.of("none")).run(logProbs, target);
        assertArrayEquals(new double[] {3, 4}, none.toDoubles(), 0);
        Tensor weights = Tensor.ofDoubles(DType.F32, new long[] {3}, 1, 1, 3);
        Tensor mean = OneNode.op("NegativeLogLikelihoodLoss").opset(13).run(logProbs, target, weights);
        assertEquals((3 * 3 + 4) / 4.0, mean.getDouble(0), 1e-6);
        Tensor ignored = OneNode.op("NegativeLogLikelihoodLoss").opset(13).attr("ignore_index", Attribute.of(0L))
                .attr("reduction", Attribute.of("sum")).run(logProbs, target);
        assertEquals(3, ignored.getDouble(0), 1e-6);
    }

    @Test
    void softmaxCrossEntropyReturnsLogProbabilities() {
        Tensor scores = Tensor.ofDoubles(DType.F32, new long[] {1, 2}, 0, 0);
        Tensor label = Tensor.ofLongs(DType.I64, new long[] {1}, 1);
        List<RuntimeValue> out = OneNode.op("SoftmaxCrossEntropyLoss").opset(13).outputs(2).runValues(scores, label);
        assertEquals(Math.log(2), ((Tensor) out.get(0)).getDouble(0), 1e-6);
        assertArrayEquals(new double[] {-Math.log(2), -Math.log(2)}, ((Tensor) out.get(1)).toDoubles(), 1e-6);
    }

    @Test
    void targetOutsideTheClassesFails() {
        Tensor bad = Tensor.ofLongs(DType.I64, new long[] {2}, 3, 0);
        assertThrows(KilnException.class, () -> OneNode.op("NegativeLogLikelihoodLoss").opset(13).run(logProbs, bad));
    }
}
