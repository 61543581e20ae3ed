package dev.kiln.ir;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DimTest {
    @Test
    void printsStaticSymbolicAndUnknown() {
        assertEquals("[1,batch,?]", Shape.of(java.util.List.of(Dim.of(1), Dim.symbolic("batch"), Dim.UNKNOWN)).toString());
    }

    @Test
    void rejectsNegativeSize() {
        assertThrows(IllegalArgumentException.class, () -> Dim.of(-3));
    }
}
