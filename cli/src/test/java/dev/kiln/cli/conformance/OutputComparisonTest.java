package dev.kiln.cli.conformance;

import dev.kiln.ir.DType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputComparisonTest {
    private final OutputComparison onnx = OutputComparison.ONNX_DEFAULT;

    private static Tensor f32(float... v) { return Tensor.ofFloats(new long[] {v.length}, v); }

    private String mismatch(RuntimeValue expected, RuntimeValue actual) { return onnx.mismatch("output 'y'", expected, actual); }

    @Test
    void valuesWithinRelativeAndAbsoluteTolerancePass() {
        assertNull(mismatch(f32(1000f, 0f, -2f), f32(1000.99f, 9e-8f, -2.0019f)));
    }

    @Test
    void valuesOutsideTheToleranceFailAtTheFirstMismatch() {
        String m = mismatch(Tensor.ofFloats(new long[] {2, 2}, 1, 2, 3, 4), Tensor.ofFloats(new long[] {2, 2}, 1, 2.01f, 3, 5));
        assertEquals("output 'y' at [0,1]: got 2.01, expected 2.0 (|diff| 0.0100 > tolerance 0.00200) (2 of 4 elements differ)", m);
    }

    @Test
    void theToleranceFollowsTheOnnxFormula() {
        assertTrue(onnx.close(100, 100.1));
        assertTrue(!onnx.close(100, 100.11));
        assertTrue(onnx.close(0, 1e-7));
        assertTrue(!onnx.close(0, 2e-7));
    }

    @Test
    void nanEqualsNanButNoNumber() {
        assertNull(mismatch(f32(Float.NaN, 1), f32(Float.NaN, 1)));
        assertTrue(mismatch(f32(Float.NaN), f32(0)).contains("got 0.0, expected NaN"));
        assertTrue(mismatch(f32(0), f32(Float.NaN)).contains("got NaN, expected 0.0"));
    }

    @Test
    void infinitiesMatchOnlyThemselves() {
        assertNull(mismatch(f32(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY), f32(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)));
        assertTrue(mismatch(f32(Float.POSITIVE_INFINITY), f32(Float.NEGATIVE_INFINITY)) != null);
        assertTrue(mismatch(f32(Float.POSITIVE_INFINITY), f32(Float.MAX_VALUE)) != null);
    }

    @Test
    void shapeAndDtypeMustMatch() {
        assertEquals("output 'y': shape [1,2], expected [2]", mismatch(f32(1, 2), Tensor.ofFloats(new long[] {1, 2}, 1, 2)));
        assertEquals("output 'y': dtype f64, expected f32",
                mismatch(f32(1, 2), Tensor.ofDoubles(DType.F64, new long[] {2}, 1, 2)));
    }

    @Test
    void integersUseTheSameToleranceAndLargeOnesCompareExactly() {
        assertNull(mismatch(Tensor.ofLongs(DType.I64, new long[] {1}, Long.MAX_VALUE), Tensor.ofLongs(DType.I64, new long[] {1}, Long.MAX_VALUE)));
        assertTrue(mismatch(Tensor.ofLongs(DType.I32, new long[] {1}, 3), Tensor.ofLongs(DType.I32, new long[] {1}, 4)).contains("got 4, expected 3"));
    }

    @Test
    void stringsAndBooleansMustBeEqual() {
        assertNull(mismatch(Tensor.ofStrings(new long[] {2}, "a", "b"), Tensor.ofStrings(new long[] {2}, "a", "b")));
        assertEquals("output 'y' at [1]: got \"B\", expected \"b\" (1 of 2 elements differ)",
                mismatch(Tensor.ofStrings(new long[] {2}, "a", "b"), Tensor.ofStrings(new long[] {2}, "a", "B")));
        assertTrue(mismatch(Tensor.ofLongs(DType.BOOL, new long[] {1}, 1), Tensor.ofLongs(DType.BOOL, new long[] {1}, 0)).contains("got false, expected true"));
    }

    @Test
    void bfloat16IsComparedExactlyAsTheOnnxRunnerDoes() {
        Tensor expected = Tensor.ofDoubles(DType.BF16, new long[] {1}, 1.0);
        assertNull(mismatch(expected, Tensor.ofDoubles(DType.BF16, new long[] {1}, 1.0)));
        assertTrue(mismatch(expected, Tensor.ofDoubles(DType.BF16, new long[] {1}, 1.0078125)) != null);
    }

    @Test
    void sequencesCompareElementByElement() {
        TensorType t = TensorType.of(DType.F32, 1);
        TensorSequence expected = new TensorSequence(t, List.of(f32(1), f32(2)));
        assertNull(mismatch(expected, new TensorSequence(t, List.of(f32(1), f32(2.0001f)))));
        assertEquals("output 'y'[1] at [0]: got 3.0, expected 2.0 (|diff| 1.00 > tolerance 0.00200) (1 of 1 elements differ)",
                mismatch(expected, new TensorSequence(t, List.of(f32(1), f32(3)))));
        assertEquals("output 'y': sequence of 1, expected 2 elements", mismatch(expected, new TensorSequence(t, List.of(f32(1)))));
    }

    @Test
    void optionalsComparePresenceThenTheElement() {
        TensorType t = TensorType.of(DType.F32, 1);
        assertNull(mismatch(new OptionalValue(t, null), new OptionalValue(t, null)));
        assertNull(mismatch(new OptionalValue(t, f32(1)), new OptionalValue(t, f32(1))));
        assertEquals("output 'y': optional is empty, expected present", mismatch(new OptionalValue(t, f32(1)), new OptionalValue(t, null)));
    }

    @Test
    void aTensorIsNotASequence() {
        TensorType t = TensorType.of(DType.F32, 1);
        assertEquals("output 'y': got a seq<f32[1]>, expected a f32[1]", mismatch(f32(1), new TensorSequence(t, List.of(f32(1)))));
    }
}
