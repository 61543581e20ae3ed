package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ElementwiseBinaryKernelsTest {
    private static Tensor ints(long... v) { return Tensor.ofLongs(DType.I32, new long[] {v.length}, v); }

    @Test
    void addBroadcastsNumPyStyle() {
        Tensor a = Tensor.ofFloats(new long[] {2, 1}, 1, 2);
        Tensor b = Tensor.ofFloats(new long[] {3}, 10, 20, 30);
        Tensor y = OneNode.op("Add").run(a, b);
        assertArrayEquals(new long[] {2, 3}, y.shape());
        assertArrayEquals(new float[] {11, 21, 31, 12, 22, 32}, y.toFloats());
    }

    @Test
    void legacyBroadcastLinesBUpWithAAtAxis() {
        Tensor a = Tensor.ofFloats(new long[] {2, 3}, 0, 0, 0, 0, 0, 0);
        Tensor b = Tensor.ofFloats(new long[] {2}, 1, 2);
        Tensor y = OneNode.op("Add").opset(6).attr("broadcast", Attribute.of(1L)).attr("axis", Attribute.of(0L)).run(a, b);
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, y.toFloats());
    }

    @Test
    void integerDivTruncatesAndModFollowsTheDivisorUnlessFmod() {
        assertArrayEquals(new long[] {-2, 2, -2}, OneNode.op("Div").run(ints(-7, 7, 7), ints(3, 3, -3)).toLongs());
        assertArrayEquals(new long[] {2, 1, -2}, OneNode.op("Mod").run(ints(-7, 7, 7), ints(3, 3, -3)).toLongs());
        Tensor fmod = OneNode.op("Mod").attr("fmod", Attribute.of(1L)).run(ints(-7, 7, 7), ints(3, 3, -3));
        assertArrayEquals(new long[] {-1, 1, 1}, fmod.toLongs());
    }

    @Test
    void unsigned64DivisionIsUnsigned() {
        Tensor a = Tensor.ofLongs(DType.U64, new long[] {1}, -2); // 2^64 - 2
        Tensor y = OneNode.op("Div").run(a, Tensor.ofLongs(DType.U64, new long[] {1}, 2));
        assertEquals(Long.MAX_VALUE, y.getLong(0));
    }

    @Test
    void integerDivisionByZeroIsAKernelError() {
        KilnException e = assertThrows(KilnException.class, () -> OneNode.op("Div").run(ints(1), ints(0)));
        assertEquals("node 'Div_0' (Div): integer division by zero", e.getMessage());
    }

    @Test
    void powKeepsTheBaseTypeAndIsExactForIntegers() {
        Tensor big = OneNode.op("Pow").run(Tensor.ofLongs(DType.I64, new long[] {1}, 3), Tensor.ofLongs(DType.I64, new long[] {1}, 39));
        assertEquals(4052555153018976267L, big.getLong(0));
        Tensor mixed = OneNode.op("Pow").run(ints(2, 3), Tensor.ofFloats(new long[] {2}, 0.5f, 2));
        assertEquals(DType.I32, mixed.dtype());
        assertArrayEquals(new long[] {1, 9}, mixed.toLongs());
    }

    @Test
    void bitShiftWrapsToTheElementWidth() {
        Tensor x = Tensor.ofLongs(DType.U8, new long[] {3}, 0xF0, 1, 255);
        Tensor s = Tensor.ofLongs(DType.U8, new long[] {3}, 2, 8, 1);
        assertArrayEquals(new long[] {0xC0, 0, 254}, OneNode.op("BitShift").attr("direction", Attribute.of("LEFT")).run(x, s).toLongs());
        assertArrayEquals(new long[] {0x3C, 0, 127}, OneNode.op("BitShift").attr("direction", Attribute.of("RIGHT")).run(x, s).toLongs());
    }

    @Test
    void shapesThatDoNotBroadcastFailInInference() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OneNode.op("Mul").run(Tensor.ofFloats(new long[] {2}, 1, 2), Tensor.ofFloats(new long[] {3}, 1, 2, 3)));
        assertEquals("node 'Mul_0' (Mul): shapes [[2], [3]] do not broadcast", e.getMessage());
    }

    @Test
    void mismatchedElementTypesFailInInference() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OneNode.op("Sub").run(ints(1), Tensor.ofFloats(new long[] {1}, 1)));
        assertEquals("node 'Sub_0' (Sub): inputs 0 and 1 must have one element type, got i32 and f32", e.getMessage());
    }
}
