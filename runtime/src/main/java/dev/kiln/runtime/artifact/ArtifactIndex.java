package dev.kiln.runtime.artifact;

import dev.kiln.runtime.artifact.ArtifactFormat.Entry;
import dev.kiln.runtime.artifact.ArtifactFormat.Kind;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Decodes the index: a u32 entry count, then per entry its kind (u8), name and info (Java modified UTF-8, as
 * {@link java.io.DataOutput#writeUTF} writes), offset and length (u64) and CRC-32C (u32), big-endian as
 * {@link java.io.DataOutputStream} writes. Every section must lie between the header and the index.
 */
final class ArtifactIndex {
    private ArtifactIndex() {}

    static List<Entry> decode(ByteBuffer index, long indexOffset, Function<String, RuntimeException> corrupt) {
        byte[] bytes = new byte[index.remaining()];
        index.duplicate().get(bytes);
        List<Entry> entries = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int count = in.readInt();
            if (count < 0 || count > bytes.length / 25) throw corrupt.apply("index claims " + count + " sections");
            for (int i = 0; i < count; i++) {
                byte code = in.readByte();
                Kind kind = Kind.of(code);
                String name = in.readUTF();
                String info = in.readUTF();
                long offset = in.readLong();
                long length = in.readLong();
                int crc = in.readInt();
                if (kind == null) throw corrupt.apply("section " + name + " has unknown kind " + code);
                if (offset < ArtifactFormat.HEADER_BYTES || length < 0 || offset > indexOffset - length) {
                    throw corrupt.apply("section " + name + " lies outside the file");
                }
                entries.add(new Entry(kind, name, info, offset, length, crc));
            }
            if (in.available() > 0) throw corrupt.apply(in.available() + " bytes after the index's last entry");
        } catch (IOException e) {
            throw corrupt.apply("index ends early");
        }
        return entries;
    }
}
