package dev.kiln.runtime.artifact;

import dev.kiln.ir.DType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A tensor's bytes in an artifact: numeric tensors as their little-endian storage (so a mapped file is used in place),
 * string tensors as a u32 byte length and the UTF-8 bytes per element.
 */
final class TensorBlobs {
    private TensorBlobs() {}

    static ByteBuffer encode(Tensor t) {
        if (t.dtype() != DType.STRING) return t.data().clear();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            byte[] b = t.getString(i).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(length.clear().putInt(b.length).array());
            out.writeBytes(b);
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    /** The tensor of {@code type} over {@code bytes} (numeric: a view, not a copy); IllegalArgumentException when they disagree. */
    static Tensor decode(TensorType type, ByteBuffer bytes) {
        long[] shape = type.shape().toArray();
        if (type.dtype() != DType.STRING) return Tensor.view(type.dtype(), shape, bytes);
        String[] values = new String[Tensor.checkedSize(shape)];
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            if (in.remaining() < 4) throw new IllegalArgumentException("string tensor ends after " + i + " of " + values.length + " elements");
            int n = in.getInt();
            if (n < 0 || n > in.remaining()) throw new IllegalArgumentException("string element " + i + " runs past its section");
            byte[] b = new byte[n];
            in.get(b);
            values[i] = new String(b, StandardCharsets.UTF_8);
        }
        if (in.hasRemaining()) throw new IllegalArgumentException("string tensor has " + in.remaining() + " bytes past its last element");
        return Tensor.ofStrings(shape, values);
    }
}
