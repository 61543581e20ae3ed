package dev.kiln.passes.quant;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class QdqNodesTest {
    @Test
    void weightsArePerChannelSymmetricWithTheLargestAt127() {
        Tensor w = Tensor.ofFloats(new long[] {2, 3}, 1f, -2f, 0.5f, 0f, 0f, 0f);
        float[] scales = QdqNodes.weightScales(w, 0);
        assertArrayEquals(new float[] {2f / 127, 1f}, scales, 1e-9f);
        Tensor q = QdqNodes.quantizeAlong(w, 0, scales, DType.I8);
        assertArrayEquals(new long[] {64, -127, 32, 0, 0, 0}, q.toLongs());
    }

    @Test
    void columnsAlongAxisOne() {
        Tensor w = Tensor.ofFloats(new long[] {2, 2}, 1f, 4f, -1f, -2f);
        float[] scales = QdqNodes.weightScales(w, 1);
        assertArrayEquals(new float[] {1f / 127, 4f / 127}, scales, 1e-9f);
        assertArrayEquals(new long[] {127, 127, -127, -64}, QdqNodes.quantizeAlong(w, 1, scales, DType.I8).toLongs());
    }
}
