package dev.kiln.ir.ops.onnx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EinsumEquationTest {
    @Test
    void implicitOutputKeepsLabelsSeenOnceInOrder() {
        EinsumEquation eq = EinsumEquation.parse("ij, jk", new int[] {2, 2});
        assertArrayEquals(new int[] {'i', 'k'}, eq.output());
        assertArrayEquals(new long[] {2, 4, 3}, eq.labelSizes(new long[][] {{2, 3}, {3, 4}}));
    }

    @Test
    void ellipsisDimsBroadcastAndLeadTheImplicitOutput() {
        EinsumEquation eq = EinsumEquation.parse("...ij,...jk", new int[] {3, 2});
        assertArrayEquals(new int[] {EinsumEquation.ELLIPSIS, 'i', 'k'}, eq.output());
        long[] sizes = eq.labelSizes(new long[][] {{5, 2, 3}, {3, 4}});
        assertArrayEquals(new long[] {5, 2, 4, 3}, sizes);
    }

    @Test
    void rejectsRankMismatchesAndUnknownOutputLabels() {
        assertThrows(IllegalArgumentException.class, () -> EinsumEquation.parse("ij", new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> EinsumEquation.parse("ij->k", new int[] {2}));
        assertThrows(IllegalArgumentException.class, () -> EinsumEquation.parse("ij,jk", new int[] {2}));
        EinsumEquation eq = EinsumEquation.parse("ij,jk", new int[] {2, 2});
        assertThrows(IllegalArgumentException.class, () -> eq.labelSizes(new long[][] {{2, 3}, {4, 5}}));
    }
}
