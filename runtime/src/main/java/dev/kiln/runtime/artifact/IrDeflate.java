package dev.kiln.runtime.artifact;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The IR section's compression: raw DEFLATE (RFC 1951, {@code java.util.zip}, so loading needs nothing beyond
 * java.base). The IR text repeats long exporter names on every scale and zero point of a quantized graph, and in a
 * small model it weighs as much as the weights; deflated it is a fifth of that. The uncompressed length is stored in
 * the section's info, so a damaged section cannot inflate without bound.
 */
final class IrDeflate {
    private IrDeflate() {}

    static ByteBuffer deflate(byte[] text) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(text);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 4 + 64);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) out.write(chunk, 0, deflater.deflate(chunk));
            return ByteBuffer.wrap(out.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /** The text of {@code expectedLength} bytes, or null when the data does not inflate to exactly that. */
    static byte[] inflate(ByteBuffer data, int expectedLength) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data.duplicate());
            byte[] text = new byte[expectedLength];
            int n = 0;
            while (n < expectedLength && !inflater.finished()) {
                int got = inflater.inflate(text, n, expectedLength - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) return null;
                n += got;
            }
            // One more byte would mean the stored length is wrong; a finished stream of that length is the text.
            if (n != expectedLength || !inflater.finished() && inflater.inflate(new byte[1]) > 0) return null;
            return text;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
