package dev.kiln.bench;

import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputChecksTest {
    private static Map<String, Tensor> y(float... v) { return Map.of("y", Tensor.ofFloats(new long[] {1, v.length}, v)); }

    @Test
    void differencesAndTolerance() {
        assertEquals(0.5, OutputChecks.maxDifference(y(1, 2.5f), y(1, 2)), 1e-9);
        assertTrue(OutputChecks.agree(y(1000.5f), y(1000)));   // within 1e-3 relative
        assertFalse(OutputChecks.agree(y(1.01f), y(1)));
        assertEquals(Double.POSITIVE_INFINITY, OutputChecks.maxDifference(y(Float.NaN), y(1)));
        assertEquals(0, OutputChecks.maxDifference(y(Float.NaN), y(Float.NaN)));
        assertFalse(OutputChecks.agree(y(1, 2), y(1)));         // a shape mismatch never agrees
    }

    @Test
    void accuracyCountsRowsWhoseLargestScoreIsTheLabel() {
        Tensor scores = Tensor.ofFloats(new long[] {3, 3}, 0.1f, 0.7f, 0.2f, 0.9f, 0.05f, 0.05f, 0.3f, 0.3f, 0.4f);
        assertEquals(2, OutputChecks.correct(scores, new long[] {1, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> OutputChecks.correct(scores, new long[] {1}));
    }
}
