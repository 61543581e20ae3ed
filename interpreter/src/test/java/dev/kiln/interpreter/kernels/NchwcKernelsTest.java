package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocked layout's conversions put channel c at lane c % b of block c / b, and the twins match their ops. */
class NchwcKernelsTest {
    /** N=1, C=3, H=1, W=2: element (c, w) = 10c + w. */
    private static final Tensor X = Tensor.ofFloats(new long[] {1, 3, 1, 2}, 0, 1, 10, 11, 20, 21);

    @Test
    void toBlockedInterleavesChannelsAndPadsWithZeros() {
        Tensor y = OneNode.op("kiln", "ToBlocked").opset(1).attr("block", Attribute.of(2L)).run(X);
        assertArrayEquals(new long[] {1, 2, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[] {0, 10, 1, 11, 20, 0, 21, 0}, y.toDoubles());
    }

    @Test
    void fromBlockedDropsThePadding() {
        Tensor blocked = OneNode.op("kiln", "ToBlocked").opset(1).attr("block", Attribute.of(2L)).run(X);
        Tensor back = OneNode.op("kiln", "FromBlocked").opset(1).attr("block", Attribute.of(2L))
                .attr("channels", Attribute.of(3L)).run(blocked);
        assertArrayEquals(X.shape(), back.shape());
        assertArrayEquals(X.toDoubles(), back.toDoubles());
    }

    @Test
    void maxPoolTwinMatchesMaxPool() {
        Tensor expected = OneNode.op("MaxPool").opset(17).attr("kernel_shape", Attribute.ints(new long[] {1, 2})).run(X);
        Tensor blocked = OneNode.op("kiln", "ToBlocked").opset(1).attr("block", Attribute.of(2L)).run(X);
        Tensor y = OneNode.op("kiln", "NchwcMaxPool").opset(1).attr("kernel_shape", Attribute.ints(new long[] {1, 2}))
                .attr("block", Attribute.of(2L)).attr("channels", Attribute.of(3L)).run(blocked);
        Tensor back = OneNode.op("kiln", "FromBlocked").opset(1).attr("block", Attribute.of(2L))
                .attr("channels", Attribute.of(3L)).run(y);
        assertArrayEquals(expected.toDoubles(), back.toDoubles());
    }

    @Test
    void fromBlockedRejectsAChannelCountTheBlocksCannotHold() {
        Tensor blocked = Tensor.zeros(DType.F32, 1, 2, 1, 2, 2);
        InferenceException e = assertThrows(InferenceException.class, () -> OneNode.op("kiln", "FromBlocked").opset(1)
                .attr("block", Attribute.of(2L)).attr("channels", Attribute.of(5L)).run(blocked));
        assertTrue(e.getMessage().contains("3 channel blocks for 5 channels"), e.getMessage());
    }
}
