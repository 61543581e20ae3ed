package dev.kiln.passes.quant;

import dev.kiln.ir.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuantParamsTest {
    @Test
    void signedRangeIsSymmetricInt8() {
        QuantParams p = QuantParams.of(-0.5, 2.54, DType.I8);
        assertEquals(0, p.zeroPoint());
        assertEquals(0.02, p.scale(), 1e-7);
        assertEquals(127, p.quantize(3));
        assertEquals(-25, p.quantize(-0.5));
    }

    @Test
    void nonNegativeRangeSaturatesAtTheZeroPointSoItIsTheRelu() {
        QuantParams p = QuantParams.of(0, 2.55, DType.I8);
        assertEquals(-128, p.zeroPoint());
        assertEquals(0, p.lowest(), 1e-12);
        assertEquals(0, p.fakeQuantize(-1), 1e-12);
        assertEquals(2.55, p.highest(), 1e-6);
    }

    @Test
    void uint8IsAsymmetricAndHoldsZeroExactly() {
        QuantParams p = QuantParams.of(-1, 3, DType.U8);
        assertEquals(64, p.zeroPoint());
        assertEquals(0, p.fakeQuantize(0), 0);
        assertEquals(255, p.quantize(10));
        assertEquals(0, p.quantize(-10));
    }

    @Test
    void allZeroTensorGetsAUsableScale() {
        QuantParams p = QuantParams.of(0, 0, DType.I8);
        assertEquals(0, p.fakeQuantize(0), 0);
        assertEquals(true, p.scale() > 0);
    }
}
