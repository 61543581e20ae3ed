package dev.kiln.ir.ops;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TypeMergingTest {
    private static TensorType f32(Dim... dims) { return new TensorType(DType.F32, Shape.of(List.of(dims))); }

    @Test
    void keepsTheMorePreciseOfEachDim() {
        TensorType declared = f32(Dim.symbolic("n"), Dim.UNKNOWN, Dim.of(3), Dim.symbolic("m"));
        TensorType inferred = f32(Dim.of(2), Dim.symbolic("k"), Dim.UNKNOWN, Dim.UNKNOWN);
        assertEquals(f32(Dim.of(2), Dim.symbolic("k"), Dim.of(3), Dim.symbolic("m")), TypeMerging.merge(declared, inferred));
    }

    @Test
    void aKnownRankWins() {
        TensorType ranked = TensorType.of(DType.I64, 4);
        TensorType unranked = new TensorType(DType.I64, Shape.UNKNOWN_RANK);
        assertEquals(ranked, TypeMerging.merge(unranked, ranked));
        assertEquals(ranked, TypeMerging.merge(ranked, unranked));
        assertEquals(new SequenceType(ranked), TypeMerging.merge(new SequenceType(unranked), new SequenceType(ranked)));
    }

    @Test
    void contradictionsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> TypeMerging.merge(TensorType.of(DType.F32, 2), TensorType.of(DType.F16, 2)));
        assertThrows(IllegalArgumentException.class, () -> TypeMerging.merge(TensorType.of(DType.F32, 2), TensorType.of(DType.F32, 2, 1)));
        assertThrows(IllegalArgumentException.class, () -> TypeMerging.merge(TensorType.of(DType.F32, 2), TensorType.of(DType.F32, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> TypeMerging.merge(new SequenceType(TensorType.of(DType.F32, 2)), TensorType.of(DType.F32, 2)));
    }
}
