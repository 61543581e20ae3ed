package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classic ai.onnx.ml feature transforms: Scaler, Normalizer, Imputer, OneHotEncoder, CategoryMapper, FeatureVectorizer. */
class MlClassicKernelsTest {
    private static final String ML = "ai.onnx.ml";

    private static Tensor floats(long[] shape, double... v) { return Tensor.ofDoubles(DType.F32, shape, v); }

    private static Tensor longs(long[] shape, long... v) { return Tensor.ofLongs(DType.I64, shape, v); }

    @Test
    void scalerOffsetsThenScalesEachFeature() {
        Tensor y = OneNode.op(ML, "Scaler").attr("offset", Attribute.floats(1, 2)).attr("scale", Attribute.floats(2, 0.5f))
                .run(floats(new long[] {2, 2}, 1, 2, 3, 4));
        assertArrayEquals(new double[] {0, 0, 4, 1}, y.toDoubles());
    }

    @Test
    void scalerBroadcastsOneValueAndOutputsFloatForIntegers() {
        Tensor y = OneNode.op(ML, "Scaler").attr("offset", Attribute.floats(1)).attr("scale", Attribute.floats(10))
                .run(longs(new long[] {3}, 1, 2, 4));
        assertEquals(DType.F32, y.dtype());
        assertArrayEquals(new double[] {0, 10, 30}, y.toDoubles());
    }

    @Test
    void scalerRejectsAnOffsetPerWrongFeatureCount() {
        assertThrows(InferenceException.class, () -> OneNode.op(ML, "Scaler").attr("offset", Attribute.floats(1, 2, 3))
                .attr("scale", Attribute.floats(1, 1, 1)).run(floats(new long[] {1, 2}, 1, 2)));
    }

    private static double[] normalize(String norm, double... row) {
        return OneNode.op(ML, "Normalizer").attr("norm", Attribute.of(norm)).run(floats(new long[] {2, 2}, row)).toDoubles();
    }

    @Test
    void normalizerDividesEachRowByItsNorm() {
        // Row [-4, 2]: max |x| 4, sum |x| 6, Euclidean sqrt(20); the all-zero row passes unchanged.
        assertArrayEquals(new double[] {-1, 0.5, 0, 0}, normalize("MAX", -4, 2, 0, 0));
        assertArrayEquals(new double[] {-4 / 6.0, 2 / 6.0, 0, 0}, normalize("L1", -4, 2, 0, 0), 1e-7);
        assertArrayEquals(new double[] {-4 / Math.sqrt(20), 2 / Math.sqrt(20), 0, 0}, normalize("L2", -4, 2, 0, 0), 1e-7);
    }

    @Test
    void normalizerRejectsUnknownNorms() {
        assertThrows(InferenceException.class, () -> normalize("L3", 1, 2, 3, 4));
    }

    @Test
    void imputerReplacesNanPerFeature() {
        Tensor y = OneNode.op(ML, "Imputer").attr("imputed_value_floats", Attribute.floats(10, 20))
                .attr("replaced_value_float", Attribute.of(Float.NaN)).run(floats(new long[] {2, 2}, Double.NaN, 1, 2, Double.NaN));
        assertEquals(DType.F32, y.dtype());
        assertArrayEquals(new double[] {10, 1, 2, 20}, y.toDoubles());
    }

    @Test
    void imputerReplacesIntegersWithOneValue() {
        Tensor y = OneNode.op(ML, "Imputer").attr("imputed_value_int64s", Attribute.ints(7))
                .attr("replaced_value_int64", Attribute.of(-1L)).run(longs(new long[] {2, 2}, -1, 3, 4, -1));
        assertEquals(DType.I64, y.dtype());
        assertArrayEquals(new long[] {7, 3, 4, 7}, y.toLongs());
    }

    @Test
    void imputerNeedsValuesOfTheInputsKind() {
        assertThrows(InferenceException.class, () -> OneNode.op(ML, "Imputer").attr("imputed_value_floats", Attribute.floats(1))
                .run(longs(new long[] {1, 1}, 0)));
    }

    @Test
    void oneHotEncoderAddsACategoryAxis() {
        Tensor y = OneNode.op(ML, "OneHotEncoder").attr("cats_int64s", Attribute.ints(5, 3, 9))
                .run(longs(new long[] {2}, 3, 4));
        assertArrayEquals(new long[] {2, 3}, y.shape());
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0}, y.toDoubles(), "4 is no category: all zeros");
    }

    @Test
    void oneHotEncoderCastsFloatsAndMatchesStrings() {
        Tensor fromFloat = OneNode.op(ML, "OneHotEncoder").attr("cats_int64s", Attribute.ints(2, 3))
                .run(floats(new long[] {1, 1}, 3.7));
        assertArrayEquals(new long[] {1, 1, 2}, fromFloat.shape());
        assertArrayEquals(new double[] {0, 1}, fromFloat.toDoubles(), "3.7 casts to 3");
        Tensor fromString = OneNode.op(ML, "OneHotEncoder").attr("cats_strings", Attribute.strings(List.of("a", "b")))
                .run(Tensor.ofStrings(new long[] {2}, "b", "a"));
        assertArrayEquals(new double[] {0, 1, 1, 0}, fromString.toDoubles());
    }

    @Test
    void oneHotEncoderWithoutZerosFailsOnUnknownValues() {
        KilnException e = assertThrows(KilnException.class, () -> OneNode.op(ML, "OneHotEncoder")
                .attr("cats_strings", Attribute.strings(List.of("a"))).attr("zeros", Attribute.of(0L))
                .run(Tensor.ofStrings(new long[] {1}, "z")));
        assertTrue(e.getMessage().contains("'z' is not a category"), e.getMessage());
    }

    @Test
    void categoryMapperMapsBothWays() {
        OneNode mapper = OneNode.op(ML, "CategoryMapper").attr("cats_int64s", Attribute.ints(1, 2))
                .attr("cats_strings", Attribute.strings(List.of("one", "two"))).attr("default_int64", Attribute.of(-5L))
                .attr("default_string", Attribute.of("none"));
        assertArrayEquals(new long[] {2, -5, 1}, mapper.run(Tensor.ofStrings(new long[] {3}, "two", "six", "one")).toLongs());
        assertArrayEquals(new String[] {"one", "none"}, mapper.run(longs(new long[] {2}, 1, 7)).toStrings());
    }

    @Test
    void categoryMapperNeedsPairedLists() {
        assertThrows(InferenceException.class, () -> OneNode.op(ML, "CategoryMapper").attr("cats_int64s", Attribute.ints(1))
                .attr("cats_strings", Attribute.strings(List.of("a", "b"))).run(longs(new long[] {1}, 1)));
    }

    @Test
    void featureVectorizerPadsAndTruncatesEachInput() {
        Tensor y = OneNode.op(ML, "FeatureVectorizer").attr("inputdimensions", Attribute.ints(3, 1))
                .run(longs(new long[] {2, 2}, 1, 2, 3, 4), longs(new long[] {2, 2}, 5, 6, 7, 8));
        assertEquals(DType.F32, y.dtype());
        assertArrayEquals(new long[] {2, 4}, y.shape());
        assertArrayEquals(new double[] {1, 2, 0, 5, 3, 4, 0, 7}, y.toDoubles());
    }

    @Test
    void featureVectorizerNeedsOneDimensionPerInput() {
        assertThrows(InferenceException.class, () -> OneNode.op(ML, "FeatureVectorizer").attr("inputdimensions", Attribute.ints(2))
                .run(floats(new long[] {1, 2}, 1, 2), floats(new long[] {1, 2}, 3, 4)));
    }
}
