package dev.kiln.models;

import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison the model tests rely on must actually reject what is out of tolerance. */
class ClosenessTest {
    private static Tensor of(float... values) { return Tensor.ofFloats(new long[] {1, values.length}, values); }

    @Test
    void acceptsAbsoluteErrorWithinBoundForSmallValuesAndReportsTheLargest() {
        String summary = Closeness.assertClose("t", of(0.5f, -0.25f), of(0.50005f, -0.25f));
        assertTrue(summary.contains("at [0,0]"), summary);
    }

    @Test
    void rejectsAbsoluteErrorOverBoundForSmallValues() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Closeness.assertClose("t", of(0.5f, 1f), of(0.5f, 1.0003f)));
        assertTrue(e.getMessage().contains("at [0,1]"), e.getMessage());
    }

    @Test
    void scalesTheBoundWithLargeMagnitudes() {
        Closeness.assertClose("t", of(100f), of(100.005f));
        assertThrows(AssertionFailedError.class, () -> Closeness.assertClose("t", of(100f), of(100.02f)));
    }

    @Test
    void rejectsNaNShapeAndMissingOutput() {
        assertThrows(AssertionFailedError.class, () -> Closeness.assertClose("t", of(1f), of(Float.NaN)));
        assertThrows(AssertionFailedError.class, () -> Closeness.assertClose("t", of(1f, 2f),
                Tensor.ofFloats(new long[] {2, 1}, 1f, 2f)));
        assertThrows(AssertionFailedError.class, () -> Closeness.assertClose("t", of(1f), null));
    }
}
