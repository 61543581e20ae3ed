package dev.kiln.runtime.artifact;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How the IR and kernel sections are stored: the uncompressed length (u32, little-endian), then raw DEFLATE
 * (RFC 1951, {@code java.util.zip}, so loading needs nothing beyond java.base). Weights stay raw and mapped in place;
 * the text around them compresses well — a quantized graph's IR repeats long exporter names on every scale and zero
 * point, and in a small model weighs as much as its int8 weights. The stated length bounds what a damaged section
 * can inflate to.
 */
final class SectionDeflate {
    private SectionDeflate() {}

    static ByteBuffer deflate(byte[] plain) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(plain);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
            out.writeBytes(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, plain.length).array());
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) out.write(chunk, 0, deflater.deflate(chunk));
            return ByteBuffer.wrap(out.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /** The section's bytes, or null when it does not inflate to exactly the length it states. */
    static byte[] inflate(ByteBuffer section) {
        if (section.remaining() < Integer.BYTES) return null;
        int length = section.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < 0) return null;
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(section.duplicate().position(section.position() + Integer.BYTES));
            byte[] plain = new byte[length];
            int n = 0;
            while (n < length && !inflater.finished()) {
                int got = inflater.inflate(plain, n, length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) return null;
                n += got;
            }
            // One more byte would mean the stated length is wrong; a finished stream of that length is the section.
            if (n != length || !inflater.finished() && inflater.inflate(new byte[1]) > 0) return null;
            return plain;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
