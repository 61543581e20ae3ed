package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvGeometryTest {
    private static ConvGeometry forward(long in, long k, Map<String, Attribute> attrs, boolean ceil) {
        return ConvGeometry.forward(new long[] {in}, new long[] {k}, attrs::get, ceil);
    }

    @Test
    void explicitPadsStridesAndDilations() {
        ConvGeometry g = forward(10, 3, Map.of("pads", Attribute.ints(1, 2), "strides", Attribute.ints(2),
                "dilations", Attribute.ints(2)), false);
        // span 5, room 10 + 3 - 5 = 8, 8 / 2 + 1
        assertArrayEquals(new long[] {5}, g.output());
        assertArrayEquals(new long[] {1}, g.padsBegin());
        assertArrayEquals(new long[] {2}, g.padsEnd());
    }

    @Test
    void sameUpperAndLowerSplitOddPadding() {
        ConvGeometry upper = forward(5, 4, Map.of("auto_pad", Attribute.of("SAME_UPPER")), false);
        assertArrayEquals(new long[] {5}, upper.output());
        assertArrayEquals(new long[] {1}, upper.padsBegin());
        assertArrayEquals(new long[] {2}, upper.padsEnd());
        ConvGeometry lower = forward(5, 4, Map.of("auto_pad", Attribute.of("SAME_LOWER")), false);
        assertArrayEquals(new long[] {2}, lower.padsBegin());
        assertArrayEquals(new long[] {1}, lower.padsEnd());
    }

    @Test
    void ceilModeKeepsPartialWindowsButNotOnesStartingInPadding() {
        assertArrayEquals(new long[] {3}, forward(5, 2, Map.of("strides", Attribute.ints(2)), true).output());
        // room 4 + 1 - 2 = 3 -> ceil(3 / 2) + 1 = 3, but window 2 would start at 4 >= 4 + 0: dropped
        assertArrayEquals(new long[] {2}, forward(4, 2, Map.of("strides", Attribute.ints(2), "pads", Attribute.ints(0, 1)), true).output());
    }

    @Test
    void unknownInputGivesUnknownOutput() {
        assertArrayEquals(new long[] {-1}, forward(-1, 3, Map.of(), false).output());
    }

    @Test
    void transposedFromPadsAndFromOutputShape() {
        ConvGeometry g = ConvGeometry.transposed(new long[] {3}, new long[] {3},
                Map.of("strides", Attribute.ints(2), "output_padding", Attribute.ints(1), "pads", Attribute.ints(1, 1))::get);
        assertArrayEquals(new long[] {6}, g.output()); // 2 * 2 + 1 + 3 - 2
        ConvGeometry shaped = ConvGeometry.transposed(new long[] {3}, new long[] {3},
                Map.of("strides", Attribute.ints(2), "output_shape", Attribute.ints(8))::get);
        // total padding 2 * 2 + 3 - 8 = -1: the extra position goes to the end
        assertArrayEquals(new long[] {8}, shaped.output());
        assertArrayEquals(new long[] {0}, shaped.padsBegin());
        assertArrayEquals(new long[] {-1}, shaped.padsEnd());
    }

    @Test
    void rejectsKernelsThatDoNotFitAndBadAttributes() {
        assertThrows(IllegalArgumentException.class, () -> forward(2, 5, Map.of(), false));
        assertThrows(IllegalArgumentException.class, () -> forward(5, 2, Map.of("pads", Attribute.ints(1)), false));
        assertThrows(IllegalArgumentException.class, () -> forward(5, 2, Map.of("auto_pad", Attribute.of("SAME")), false));
    }
}
