package dev.kiln.runtime.artifact;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IrDeflateTest {
    private static final byte[] TEXT = ("graph @main(%x: f32[1,8]) -> (%y: f32[1,8]) {\n"
            + "  %\"/features/features.0/Conv_output_0_quantized_scale\": f32[] = Identity(%x) name \"a\"\n".repeat(40) + "}\n")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsAndShrinksRepetitiveIrText() {
        ByteBuffer packed = IrDeflate.deflate(TEXT);
        assertTrue(packed.remaining() < TEXT.length / 5, packed.remaining() + " of " + TEXT.length);
        assertArrayEquals(TEXT, IrDeflate.inflate(packed, TEXT.length));
    }

    @Test
    void aLengthThatDoesNotMatchOrDamagedDataInflateToNothing() {
        ByteBuffer packed = IrDeflate.deflate(TEXT);
        assertNull(IrDeflate.inflate(packed, TEXT.length - 1), "stored length too short");
        assertNull(IrDeflate.inflate(packed, TEXT.length + 1), "stored length too long");
        ByteBuffer truncated = packed.duplicate().limit(packed.remaining() / 2);
        assertNull(IrDeflate.inflate(truncated, TEXT.length), "truncated stream");
        ByteBuffer garbage = ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x12, 0x34});
        assertNull(IrDeflate.inflate(garbage, TEXT.length), "not deflate data");
    }
}
