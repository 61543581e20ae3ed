package dev.kiln.ir;

import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DimProductTest {
    private static final Dim BATCH = Dim.symbolic("batch");
    private static final Dim SEQ = Dim.symbolic("seq");

    @Test
    void productsAreWrittenCanonicallySoEqualProductsAreEqualDims() {
        assertEquals(Dim.symbolic("4*batch"), Dim.symbolic("batch*4"));
        assertEquals("4*batch", DimProduct.multiply(Dim.of(4), BATCH).symbol());
        assertEquals("batch*seq", DimProduct.multiply(SEQ, BATCH).symbol());
        assertEquals("8*batch*seq", DimProduct.multiply(Dim.of(2), DimProduct.multiply(Dim.symbolic("4*seq"), BATCH)).symbol());
        assertEquals(BATCH, DimProduct.multiply(Dim.of(1), BATCH));
        assertEquals(Dim.of(0), DimProduct.multiply(Dim.of(0), BATCH));
        assertEquals(Dim.of(12), DimProduct.multiply(Dim.of(3), Dim.of(4)));
        assertTrue(DimProduct.multiply(Dim.UNKNOWN, BATCH).isUnknown());
    }

    @Test
    void plainNamesStayNames() {
        assertEquals("a**b", Dim.symbolic("a**b").symbol());
        assertEquals("2*3", Dim.symbolic("2*3").symbol());
        assertEquals(new DimProduct(1, List.of("unk__7")), DimProduct.of(Dim.symbolic("unk__7")));
    }

    @Test
    void quotientsAreExactOrUnknown() {
        Dim eightBatch = Dim.symbolic("8*batch");
        assertEquals(BATCH, DimProduct.divideExactly(eightBatch, Dim.of(8)));
        assertEquals(Dim.of(8), DimProduct.divideExactly(eightBatch, BATCH));
        assertEquals(Dim.symbolic("2*batch"), DimProduct.divideExactly(eightBatch, Dim.of(4)));
        assertTrue(DimProduct.divideExactly(eightBatch, Dim.of(3)).isUnknown());
        assertTrue(DimProduct.divideExactly(eightBatch, SEQ).isUnknown());
        assertTrue(DimProduct.divideExactly(BATCH, Dim.of(0)).isUnknown());
    }

    @Test
    void evaluatesAndBindsWithTheSizesOfItsSymbols() {
        Dim d = Dim.symbolic("4*batch*seq");
        assertEquals(24, DimProduct.of(d).evaluate(name -> name.equals("batch") ? 2 : 3));
        assertEquals(Dim.of(24), DimProduct.bind(d, Map.of("batch", 2L, "seq", 3L)));
        assertEquals(d, DimProduct.bind(d, Map.of("batch", 2L)));
        assertEquals(Dim.of(5), DimProduct.bind(Dim.of(5), Map.of()));
        assertNull(DimProduct.of(Dim.UNKNOWN));
    }

    @Test
    void productDimsReadBackFromIrText() {
        Graph g = IrParser.parse("""
                graph @main(%x: f32["batch*4",8]) -> (%x: f32["batch*4",8]) {
                  opsets {"": 17}
                }
                """);
        assertEquals(Dim.symbolic("4*batch"), ((TensorType) g.inputs().getFirst().type()).shape().dim(0));
    }
}
