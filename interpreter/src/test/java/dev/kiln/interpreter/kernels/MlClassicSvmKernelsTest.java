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

class MlClassicSvmKernelsTest {
    private static final String ML = "ai.onnx.ml";

    private static Tensor rows(long n, double... v) { return Tensor.ofDoubles(DType.F32, new long[] {n, v.length / n}, v); }

    private static OneNode regressor(String kernel, long supports, float[] vectors, float[] coefficients, float... params) {
        OneNode node = OneNode.op(ML, "SVMRegressor").attr("kernel_type", Attribute.of(kernel))
                .attr("n_supports", Attribute.of(supports)).attr("coefficients", Attribute.floats(coefficients))
                .attr("rho", Attribute.floats(0.25f));
        if (vectors.length > 0) node.attr("support_vectors", Attribute.floats(vectors));
        return params.length == 0 ? node : node.attr("kernel_params", Attribute.floats(params));
    }

    @Test
    void regressorWithoutSupportVectorsIsLinear() {
        Tensor y = regressor("LINEAR", 0, new float[0], new float[] {1, 2}).run(rows(1, 1, 1));
        assertArrayEquals(new long[] {1, 1}, y.shape());
        assertArrayEquals(new double[] {3.25}, y.toDoubles());
    }

    @Test
    void regressorSumsCoefficientTimesKernel() {
        // x = [0, 0]; vectors [0, 0] and [1, 1]; gamma 0.5, coef0 1, degree 2.
        float[] vectors = {0, 0, 1, 1};
        float[] coefficients = {1, -1};
        double rbf = regressor("RBF", 2, vectors, coefficients, 0.5f, 1, 2).run(rows(1, 0, 0)).toDoubles()[0];
        assertEquals(1 - Math.exp(-0.5 * 2) + 0.25, rbf, 1e-7);
        // x = [1, 2]: dot products 0 and 3.
        double poly = regressor("POLY", 2, vectors, coefficients, 0.5f, 1, 2).run(rows(1, 1, 2)).toDoubles()[0];
        assertEquals(1 - 2.5 * 2.5 + 0.25, poly, 1e-6);
        double sigmoid = regressor("SIGMOID", 2, vectors, coefficients, 0.5f, 1, 2).run(rows(1, 1, 2)).toDoubles()[0];
        assertEquals(Math.tanh(1) - Math.tanh(2.5) + 0.25, sigmoid, 1e-7);
        double oneClass = regressor("RBF", 2, vectors, coefficients, 0.5f, 1, 2).attr("one_class", Attribute.of(1L))
                .run(rows(1, 0, 0)).toDoubles()[0];
        assertEquals(1, oneClass);
    }

    @Test
    void regressorRejectsUnknownKernels() {
        assertThrows(InferenceException.class, () -> regressor("CUBIC", 0, new float[0], new float[] {1}).run(rows(1, 1)));
    }

    /** Three classes, one support vector each: [1, 0], [0, 1], [1, 1] under a linear kernel. */
    private static OneNode threeClasses() {
        return OneNode.op(ML, "SVMClassifier").outputs(2).attr("classlabels_ints", Attribute.ints(0, 1, 2))
                .attr("vectors_per_class", Attribute.ints(1, 1, 1)).attr("support_vectors", Attribute.floats(1, 0, 0, 1, 1, 1))
                .attr("coefficients", Attribute.floats(1, -1, -1, 1, 1, -1)).attr("rho", Attribute.floats(0, 0, 0.5f));
    }

    @Test
    void oneVsOneVotesOverClassPairs() {
        // x = [2, 0]: kernels [2, 0, 2]; pairs (0,1) 2 -> 0, (0,2) 2 - 2 = 0 -> 2, (1,2) -2 + 0.5 -> 2: votes [1, 0, 2].
        // x = [0, 3]: kernels [0, 3, 3]; pairs (0,1) -3 -> 1, (0,2) -3 -> 2, (1,2) 3 - 3 + 0.5 -> 1: votes [0, 2, 1].
        List<RuntimeValue> out = threeClasses().runValues(rows(2, 2, 0, 0, 3));
        assertArrayEquals(new long[] {2, 1}, ((Tensor) out.get(0)).toLongs());
        assertArrayEquals(new double[] {2, 0, -1.5, -3, -3, 0.5}, ((Tensor) out.get(1)).toDoubles());
    }

    @Test
    void oneVsOneNeedsOneRhoPerPair() {
        assertThrows(InferenceException.class, () -> threeClasses().attr("rho", Attribute.floats(0, 0)).runValues(rows(1, 1, 1)));
    }

    /** Two classes, vectors [1, 0] and [0, 1], pair score s = k0 - k1. */
    private static OneNode twoClasses() {
        return OneNode.op(ML, "SVMClassifier").outputs(2).attr("classlabels_ints", Attribute.ints(4, 5))
                .attr("vectors_per_class", Attribute.ints(1, 1)).attr("support_vectors", Attribute.floats(1, 0, 0, 1))
                .attr("coefficients", Attribute.floats(1, -1)).attr("rho", Attribute.floats(0));
    }

    @Test
    void binaryScoresAreWrittenAsMinusAndPlusS() {
        // s = 1 for x = [1, 0]: a vote for the first class; the one score s is written [-s, s].
        List<RuntimeValue> out = twoClasses().runValues(rows(1, 1, 0));
        assertArrayEquals(new long[] {4}, ((Tensor) out.get(0)).toLongs());
        assertArrayEquals(new double[] {-1, 1}, ((Tensor) out.get(1)).toDoubles());
    }

    @Test
    void plattScalingGivesClassProbabilities() {
        // s = 1, A = -ln 4, B = 0: P(first over second) = 1 / (1 + e^(-ln 4)) = 0.8; two classes couple to [0.8, 0.2].
        List<RuntimeValue> out = twoClasses().attr("prob_a", Attribute.floats((float) -Math.log(4)))
                .attr("prob_b", Attribute.floats(0)).runValues(rows(1, 1, 0));
        assertArrayEquals(new long[] {4}, ((Tensor) out.get(0)).toLongs());
        assertArrayEquals(new double[] {0.8, 0.2}, ((Tensor) out.get(1)).toDoubles(), 1e-6);
    }

    @Test
    void linearModeScoresEachClassWithTheFirstRho() {
        List<RuntimeValue> out = OneNode.op(ML, "SVMClassifier").outputs(2).attr("classlabels_strings", Attribute.strings(List.of("a", "b", "c")))
                .attr("coefficients", Attribute.floats(1, 0, 0, 1, -1, -1)).attr("rho", Attribute.floats(0.5f, 9, 9))
                .runValues(rows(1, 1, 3));
        assertArrayEquals(new String[] {"b"}, ((Tensor) out.get(0)).toStrings());
        assertArrayEquals(new double[] {1.5, 3.5, -3.5}, ((Tensor) out.get(1)).toDoubles());
    }
}
