package dev.kiln.runtime.artifact;

import dev.kiln.ir.text.ConstantResolver;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.artifact.ArtifactFormat.Entry;
import dev.kiln.runtime.artifact.ArtifactFormat.Kind;
import dev.kiln.runtime.spi.CompiledKernel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes an {@link Artifact} to a {@code .kiln} file (layout: {@link ArtifactFormat}). Sections are written in a
 * fixed order (tensors by hash, kernels by name), so the same compile gives the same bytes. The file appears
 * whole or not at all: it is written beside its destination and moved into place.
 */
public final class ArtifactWriter {
    private final FileChannel channel;
    private final List<Entry> entries = new ArrayList<>();
    private long position = ArtifactFormat.HEADER_BYTES;

    private ArtifactWriter(FileChannel channel) { this.channel = channel; }

    /** Writes {@code artifact} to {@code file}; returns the file's size in bytes. */
    public static long write(Path file, Artifact artifact) {
        Path absolute = file.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try {
            if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
            long size;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                size = new ArtifactWriter(ch).writeAll(artifact);
                ch.force(false);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            return size;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write already failed; that error is the one to report
            }
            throw new KilnException(file + ": cannot write the artifact: " + e.getMessage(), e);
        }
    }

    private long writeAll(Artifact artifact) throws IOException {
        section(Kind.META, "meta", "", ByteBuffer.wrap(ArtifactFormat.utf8(ArtifactMeta.format(artifact))));
        section(Kind.IR, "graph", "", SectionDeflate.deflate(ArtifactFormat.utf8(IrPrinter.print(artifact.graph()))));
        Map<String, Tensor> tensors = new TreeMap<>(ConstantResolver.tensorsByHash(artifact.graph()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t.size() <= IrPrinter.INLINE_LIMIT) continue; // printed inline in the IR text
            section(Kind.TENSOR, e.getKey(), IrPrinter.formatType(t.type()), TensorBlobs.encode(t));
        }
        Map<String, CompiledKernel> kernels = new TreeMap<>();
        for (CompiledKernel k : artifact.kernels()) kernels.put(k.name(), k);
        for (CompiledKernel k : kernels.values()) {
            section(Kind.KERNEL_SOURCE, k.name(), k.sourceHash(), SectionDeflate.deflate(ArtifactFormat.utf8(k.source())));
            for (Map.Entry<String, byte[]> c : k.classFiles().entrySet()) {
                section(Kind.KERNEL_CLASS, c.getKey(), k.name(), SectionDeflate.deflate(c.getValue()));
            }
        }
        byte[] index = index();
        long indexOffset = ArtifactFormat.alignUp(position);
        write(ByteBuffer.wrap(index), indexOffset);
        long fileLength = indexOffset + index.length;
        write(header(indexOffset, index.length, fileLength, crc(ByteBuffer.wrap(index))), 0);
        return fileLength;
    }

    private void section(Kind kind, String name, String info, ByteBuffer data) throws IOException {
        long offset = ArtifactFormat.alignUp(position);
        long length = data.remaining();
        int crc = crc(data.duplicate());
        write(data.duplicate(), offset);
        entries.add(new Entry(kind, name, info, offset, length, crc));
        position = offset + length;
    }

    private void write(ByteBuffer data, long at) throws IOException {
        long p = at;
        while (data.hasRemaining()) p += channel.write(data, p);
    }

    private byte[] index() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeByte(e.kind().code);
                out.writeUTF(e.name());
                out.writeUTF(e.info());
                out.writeLong(e.offset());
                out.writeLong(e.length());
                out.writeInt(e.crc());
            }
        }
        return bytes.toByteArray();
    }

    private static ByteBuffer header(long indexOffset, long indexLength, long fileLength, int indexCrc) {
        ByteBuffer h = ByteBuffer.allocate(ArtifactFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ArtifactFormat.MAGIC)
         .putInt(ArtifactFormat.AT_VERSION, ArtifactFormat.VERSION)
         .putInt(ArtifactFormat.AT_HEADER_SIZE, ArtifactFormat.HEADER_BYTES)
         .putLong(ArtifactFormat.AT_INDEX_OFFSET, indexOffset)
         .putLong(ArtifactFormat.AT_INDEX_LENGTH, indexLength)
         .putLong(ArtifactFormat.AT_FILE_LENGTH, fileLength)
         .putInt(ArtifactFormat.AT_INDEX_CRC, indexCrc);
        h.putInt(ArtifactFormat.AT_HEADER_CRC, crc(h.duplicate().clear().limit(ArtifactFormat.AT_HEADER_CRC)));
        return h.clear();
    }

    static int crc(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }
}
