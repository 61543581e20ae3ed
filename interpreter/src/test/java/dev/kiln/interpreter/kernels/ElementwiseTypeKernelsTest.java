package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ElementwiseTypeKernelsTest {
    private static OneNode cast(DType to) { return OneNode.op("Cast").attr("to", Attribute.of((long) to.onnxCode())); }

    private static byte[] codes(Tensor t) {
        ByteBuffer b = t.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void floatToIntegerTruncatesAndWrapsToTheWidth() {
        Tensor x = Tensor.ofFloats(new long[] {4}, -9.7f, 7.9f, 8f, 300f);
        assertArrayEquals(new long[] {7, 7, -8, -4}, cast(DType.I4).run(x).toLongs());
        assertArrayEquals(new long[] {-9, 7, 8, 44}, cast(DType.I8).run(x).toLongs());
    }

    @Test
    void numbersPrintAsNumPyPrintsThem() {
        Tensor f32 = Tensor.ofFloats(new long[] {6}, 1e10f, 3f, 2.5e-5f, -123.25f, 1f / 3, 1e-4f);
        assertArrayEquals(new String[] {"10000000000.0", "3.0", "2.5e-05", "-123.25", "0.33333334", "1e-04"},
                cast(DType.STRING).run(f32).toStrings());
        Tensor f16 = Tensor.ofDoubles(DType.F16, new long[] {3}, 1.0 / 3, 65504, 6e-8);
        assertArrayEquals(new String[] {"0.3333", "65500.0", "6e-08"}, cast(DType.STRING).run(f16).toStrings());
        Tensor f64 = Tensor.ofDoubles(DType.F64, new long[] {3}, 1e100, Double.NaN, Double.NEGATIVE_INFINITY);
        assertArrayEquals(new String[] {"1e+100", "nan", "-inf"}, cast(DType.STRING).run(f64).toStrings());
        Tensor u64 = Tensor.ofLongs(DType.U64, new long[] {1}, -1);
        assertArrayEquals(new String[] {"18446744073709551615"}, cast(DType.STRING).run(u64).toStrings());
    }

    @Test
    void stringsParseAsNumbers() {
        Tensor s = Tensor.ofStrings(new long[] {5}, "3.14", "1e-5", "-INF", "NaN", "+inf");
        float[] f = cast(DType.F32).run(s).toFloats();
        assertArrayEquals(new float[] {3.14f, 1e-5f, Float.NEGATIVE_INFINITY, Float.NaN, Float.POSITIVE_INFINITY}, f);
        Tensor i = Tensor.ofStrings(new long[] {3}, "100.5", "-7", "9223372036854775807");
        assertArrayEquals(new long[] {100, -7, Long.MAX_VALUE}, cast(DType.I64).run(i).toLongs());
    }

    @Test
    void unreadableStringIsAKernelError() {
        KilnException e = assertThrows(KilnException.class, () -> cast(DType.F32).run(Tensor.ofStrings(new long[] {1}, "Hello")));
        assertEquals("node 'Cast_0' (Cast): cannot read string 'Hello' at index 0 as a number", e.getMessage());
    }

    @Test
    void float8SaturatesUnlessToldNotTo() {
        Tensor x = Tensor.ofFloats(new long[] {4}, 1e6f, Float.NaN, Float.NEGATIVE_INFINITY, -1e6f);
        assertArrayEquals(new byte[] {0x7e, 0x7f, (byte) 0xfe, (byte) 0xfe}, codes(cast(DType.F8E4M3FN).run(x)));
        Tensor noSat = cast(DType.F8E4M3FN).attr("saturate", Attribute.of(0L)).run(x);
        assertArrayEquals(new byte[] {0x7f, 0x7f, (byte) 0xff, (byte) 0xff}, codes(noSat));
        Tensor e5m2 = cast(DType.F8E5M2).attr("saturate", Attribute.of(0L)).run(x);
        assertArrayEquals(new byte[] {0x7c, 0x7e, (byte) 0xfc, (byte) 0xfc}, codes(e5m2));
    }

    @Test
    void e8m0FollowsRoundMode() {
        Tensor x = Tensor.ofFloats(new long[] {3}, 1.1f, 1.5f, 3f);
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x81}, codes(cast(DType.F8E8M0).run(x)));
        Tensor down = cast(DType.F8E8M0).attr("round_mode", Attribute.of("down")).run(x);
        assertArrayEquals(new byte[] {0x7f, 0x7f, (byte) 0x80}, codes(down));
        Tensor nearest = cast(DType.F8E8M0).attr("round_mode", Attribute.of("nearest")).run(x);
        assertArrayEquals(new byte[] {0x7f, (byte) 0x80, (byte) 0x81}, codes(nearest));
    }

    @Test
    void castLikeTakesTheSecondInputsType() {
        Tensor y = OneNode.op("CastLike").run(Tensor.ofFloats(new long[] {2}, 1.5f, -0.0f), Tensor.zeros(DType.BOOL, 0));
        assertEquals(DType.BOOL, y.dtype());
        assertArrayEquals(new long[] {1, 0}, y.toLongs());
    }

    @Test
    void bitCastReinterpretsBits() {
        Tensor y = OneNode.op("BitCast").attr("to", Attribute.of((long) DType.I32.onnxCode())).run(Tensor.ofFloats(new long[] {1}, 1f));
        assertEquals(0x3f800000L, y.getLong(0));
        Tensor u4 = OneNode.op("BitCast").attr("to", Attribute.of((long) DType.U4.onnxCode())).run(Tensor.ofLongs(DType.I4, new long[] {1}, -1));
        assertEquals(15, u4.getLong(0));
    }

    @Test
    void bitCastNeedsEqualWidths() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> OneNode.op("BitCast").attr("to", Attribute.of((long) DType.I64.onnxCode())).run(Tensor.ofFloats(new long[] {1}, 1f)));
        assertEquals("node 'BitCast_0' (BitCast): cannot reinterpret f32 (32 bits) as i64 (64 bits)", e.getMessage());
    }

    @Test
    void dropoutInInferencePassesDataThroughWithAFullMask() {
        Tensor x = Tensor.ofFloats(new long[] {3}, 1, 2, 3);
        List<RuntimeValue> out = OneNode.op("Dropout").outputs(2).runValues(x);
        assertSame(x, out.get(0));
        assertArrayEquals(new long[] {1, 1, 1}, ((Tensor) out.get(1)).toLongs());
    }

    @Test
    void seededTrainingDropoutDrawsNumPysSequence() {
        // np.random.seed(0); np.random.uniform(0, 1, 4) = [0.5488, 0.7152, 0.6028, 0.5449]: kept where >= 0.6.
        Tensor x = Tensor.ofFloats(new long[] {4}, 1, 2, 3, 4);
        List<RuntimeValue> out = OneNode.op("Dropout").attr("seed", Attribute.of(0L)).outputs(2)
                .runValues(x, Tensor.ofFloats(new long[0], 0.6f), Tensor.ofLongs(DType.BOOL, new long[0], 1));
        float[] y = ((Tensor) out.get(0)).toFloats();
        assertArrayEquals(new float[] {0, 5, 7.5f, 0}, y, 1e-5f);
        assertArrayEquals(new long[] {0, 1, 1, 0}, ((Tensor) out.get(1)).toLongs());
    }

    @Test
    void binarizerIsStrictlyGreaterThanTheThreshold() {
        Tensor y = OneNode.op("ai.onnx.ml", "Binarizer").attr("threshold", Attribute.of(1f)).run(Tensor.ofFloats(new long[] {3}, 0.5f, 1, 1.5f));
        assertArrayEquals(new float[] {0, 0, 1}, y.toFloats());
    }
}
