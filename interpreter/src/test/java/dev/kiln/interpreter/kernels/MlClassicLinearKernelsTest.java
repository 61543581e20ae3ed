package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MlClassicLinearKernelsTest {
    private static final String ML = "ai.onnx.ml";

    private static Tensor rows(long n, double... v) { return Tensor.ofDoubles(DType.F32, new long[] {n, v.length / n}, v); }

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    private static OneNode classifier(float[] coefficients, float[] intercepts) {
        return OneNode.op(ML, "LinearClassifier").outputs(2).attr("coefficients", Attribute.floats(coefficients))
                .attr("intercepts", Attribute.floats(intercepts));
    }

    @Test
    void multiclassPicksTheHighestScore() {
        // x = [1, 2]: class scores 1 + 0, 2 + 0.5, 3 - 2 = [1, 2.5, 1].
        List<RuntimeValue> out = classifier(new float[] {1, 0, 0, 1, 1, 1}, new float[] {0, 0.5f, -2})
                .attr("classlabels_ints", Attribute.ints(7, 8, 9)).runValues(rows(1, 1, 2));
        assertArrayEquals(new long[] {8}, ((Tensor) out.get(0)).toLongs());
        assertArrayEquals(new double[] {1, 2.5, 1}, ((Tensor) out.get(1)).toDoubles());
    }

    @Test
    void oneCoefficientRowWithTwoLabelsIsBinary() {
        // s = 2 x0 - x1 + 0.5: 1.5 for [1, 1], -1.5 for [0, 2]; scores [-s, s] through the logistic.
        List<RuntimeValue> out = classifier(new float[] {2, -1}, new float[] {0.5f}).attr("classlabels_strings",
                Attribute.strings(List.of("no", "yes"))).attr("post_transform", Attribute.of("LOGISTIC")).runValues(rows(2, 1, 1, 0, 2));
        assertArrayEquals(new String[] {"yes", "no"}, ((Tensor) out.get(0)).toStrings());
        assertArrayEquals(new double[] {sigmoid(-1.5), sigmoid(1.5), sigmoid(1.5), sigmoid(-1.5)}, ((Tensor) out.get(1)).toDoubles(), 1e-7);
    }

    @Test
    void aSingleUnlabelledScoreIsAYesNoDecisionAtZero() {
        List<RuntimeValue> out = classifier(new float[] {1, 0}, new float[] {-0.5f}).runValues(rows(2, 1, 0, 0, 0));
        assertArrayEquals(new long[] {1, 0}, ((Tensor) out.get(0)).toLongs());
        assertArrayEquals(new long[] {2, 1}, ((Tensor) out.get(1)).shape());
        assertArrayEquals(new double[] {0.5, -0.5}, ((Tensor) out.get(1)).toDoubles());
    }

    @Test
    void labelCountMustMatchTheCoefficientRows() {
        assertThrows(InferenceException.class, () -> classifier(new float[] {1, 0, 0, 1, 1, 1}, new float[] {0, 0, 0})
                .attr("classlabels_ints", Attribute.ints(1, 2)).runValues(rows(1, 1, 2)));
    }

    @Test
    void regressorScoresEachTarget() {
        OneNode regressor = OneNode.op(ML, "LinearRegressor").attr("coefficients", Attribute.floats(1, 2, 3, 4))
                .attr("intercepts", Attribute.floats(0.5f, -1)).attr("targets", Attribute.of(2L));
        Tensor y = regressor.run(rows(1, 1, 1));
        assertEquals(DType.F32, y.dtype());
        assertArrayEquals(new double[] {3.5, 6}, y.toDoubles());
        double[] soft = regressor.attr("post_transform", Attribute.of("SOFTMAX")).run(rows(1, 1, 1)).toDoubles();
        double e = Math.exp(2.5);
        assertArrayEquals(new double[] {1 / (1 + e), e / (1 + e)}, soft, 1e-7);
    }

    @Test
    void regressorCoefficientsMustMatchTargets() {
        assertThrows(InferenceException.class, () -> OneNode.op(ML, "LinearRegressor").attr("coefficients", Attribute.floats(1, 2, 3))
                .attr("targets", Attribute.of(2L)).run(rows(1, 1, 1, 1)));
    }
}
