package dev.kiln.runtime.artifact;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SectionDeflateTest {
    private static final byte[] TEXT = ("graph @main(%x: f32[1,8]) -> (%y: f32[1,8]) {\n"
            + "  %\"/features/features.0/Conv_output_0_quantized_scale\": f32[] = Identity(%x) name \"a\"\n".repeat(40) + "}\n")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsAndShrinksRepetitiveIrText() {
        ByteBuffer packed = SectionDeflate.deflate(TEXT);
        assertTrue(packed.remaining() < TEXT.length / 5, packed.remaining() + " of " + TEXT.length);
        assertArrayEquals(TEXT, SectionDeflate.inflate(packed));
        assertArrayEquals(new byte[0], SectionDeflate.inflate(SectionDeflate.deflate(new byte[0])));
    }

    @Test
    void aWrongLengthOrDamagedDataInflatesToNothing() {
        assertNull(SectionDeflate.inflate(withLength(SectionDeflate.deflate(TEXT), TEXT.length - 1)), "stated length too short");
        assertNull(SectionDeflate.inflate(withLength(SectionDeflate.deflate(TEXT), TEXT.length + 1)), "stated length too long");
        assertNull(SectionDeflate.inflate(withLength(SectionDeflate.deflate(TEXT), -1)), "negative length");
        ByteBuffer packed = SectionDeflate.deflate(TEXT);
        assertNull(SectionDeflate.inflate(packed.duplicate().limit(packed.remaining() / 2)), "truncated stream");
        assertNull(SectionDeflate.inflate(ByteBuffer.wrap(new byte[] {8, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0x12})), "not deflate data");
        assertNull(SectionDeflate.inflate(ByteBuffer.wrap(new byte[] {1, 0})), "shorter than the length");
    }

    private static ByteBuffer withLength(ByteBuffer packed, int length) {
        ByteBuffer copy = ByteBuffer.allocate(packed.remaining()).put(packed.duplicate()).flip();
        copy.order(ByteOrder.LITTLE_ENDIAN).putInt(0, length);
        return copy;
    }
}
