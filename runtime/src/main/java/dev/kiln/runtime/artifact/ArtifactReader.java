package dev.kiln.runtime.artifact;

import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParseException;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.ModelException;
import dev.kiln.runtime.artifact.ArtifactFormat.Entry;
import dev.kiln.runtime.artifact.ArtifactFormat.Kind;
import dev.kiln.runtime.spi.CompiledKernel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .kiln} artifact: maps the file, checks the header, the index and every section's CRC-32C, checks
 * that this Kiln and Java built it, and rebuilds the graph with its weights as views of the mapped file (no copy;
 * the mapping lives as long as the tensors do). Every problem is a {@link ModelException} naming the file.
 */
public final class ArtifactReader {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment bytes;

    private ArtifactReader(Path file, MemorySegment bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    /** Whether {@code head}, a file's first bytes, starts like an artifact. */
    public static boolean isArtifact(byte[] head) { return ArtifactFormat.hasMagic(head); }

    public static Artifact read(Path file) {
        MemorySegment mapped;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new ArtifactReader(file, mapped).read();
    }

    private Artifact read() {
        List<Entry> entries = index();
        Map<String, String> meta = null;
        String irText = null;
        Map<String, Tensor> tensors = new HashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, Map<String, byte[]>> classes = new HashMap<>();
        for (Entry e : entries) {
            ByteBuffer data = section(e);
            switch (e.kind()) {
                case META -> meta = meta(data);
                case IR -> irText = new String(inflated(e, data), StandardCharsets.UTF_8);
                case TENSOR -> tensors.put(e.name(), tensor(e, data));
                case KERNEL_SOURCE -> sources.put(e.name(), new String(inflated(e, data), StandardCharsets.UTF_8));
                case KERNEL_CLASS -> classes.computeIfAbsent(e.info(), k -> new HashMap<>()).put(e.name(), inflated(e, data));
            }
        }
        if (meta == null || irText == null) throw fail("corrupt: no " + (meta == null ? "meta" : "IR") + " section");
        checkVersions(meta);
        Graph graph;
        try {
            graph = IrParser.parse(irText, tensors::get);
        } catch (IrParseException e) {
            throw fail("corrupt IR: " + e.getMessage());
        }
        List<CompiledKernel> kernels = new ArrayList<>();
        sources.forEach((name, source) -> {
            Map<String, byte[]> files = classes.remove(name);
            if (files == null) throw fail("corrupt: kernel " + name + " has no class files");
            kernels.add(new CompiledKernel(name, source, files));
        });
        if (!classes.isEmpty()) throw fail("corrupt: class files of an unknown kernel " + classes.keySet().iterator().next());
        String device = meta.get(ArtifactMeta.DEVICE);
        long arena = number(meta, ArtifactMeta.ARENA_BYTES);
        return new Artifact(graph, device, arena, kernels, meta.get(ArtifactMeta.KILN_VERSION),
                (int) number(meta, ArtifactMeta.JAVA_VERSION), ArtifactMeta.options(meta));
    }

    /** A deflated section's bytes (see {@link SectionDeflate}). */
    private byte[] inflated(Entry e, ByteBuffer data) {
        byte[] plain = SectionDeflate.inflate(data);
        if (plain == null) throw fail("corrupt: " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " section " + e.name()
                + " does not inflate to the length it states");
        return plain;
    }

    private List<Entry> index() {
        long size = bytes.byteSize();
        if (size < ArtifactFormat.HEADER_BYTES) throw fail("truncated: " + size + " bytes, shorter than the header");
        for (int i = 0; i < ArtifactFormat.MAGIC.length; i++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, i) != ArtifactFormat.MAGIC[i]) throw fail("not a Kiln artifact (bad magic)");
        }
        int version = bytes.get(INT, ArtifactFormat.AT_VERSION);
        if (version != ArtifactFormat.VERSION) {
            throw fail("artifact format version " + version + ", but Kiln " + Kiln.VERSION + " reads version "
                    + ArtifactFormat.VERSION + ": compile the model again with this Kiln");
        }
        ByteBuffer header = bytes.asSlice(0, ArtifactFormat.HEADER_BYTES).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (ArtifactWriter.crc(header.duplicate().limit(ArtifactFormat.AT_HEADER_CRC)) != header.getInt(ArtifactFormat.AT_HEADER_CRC)) {
            throw fail("corrupt: header checksum mismatch");
        }
        long fileLength = header.getLong(ArtifactFormat.AT_FILE_LENGTH);
        if (size < fileLength) throw fail("truncated: " + size + " of " + fileLength + " bytes");
        if (size > fileLength) throw fail("corrupt: " + (size - fileLength) + " bytes after the end of the artifact");
        long indexOffset = header.getLong(ArtifactFormat.AT_INDEX_OFFSET);
        long indexLength = header.getLong(ArtifactFormat.AT_INDEX_LENGTH);
        if (indexOffset < ArtifactFormat.HEADER_BYTES || indexLength < 4 || indexOffset + indexLength != fileLength) {
            throw fail("corrupt: index out of bounds");
        }
        ByteBuffer index = bytes.asSlice(indexOffset, indexLength).asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        if (ArtifactWriter.crc(index.duplicate()) != header.getInt(ArtifactFormat.AT_INDEX_CRC)) throw fail("corrupt: index checksum mismatch");
        List<Entry> entries = ArtifactIndex.decode(index, indexOffset, msg -> fail("corrupt: " + msg));
        checkPadding(entries, indexOffset);
        return entries;
    }

    /** The bytes no checksum covers (the header's reserved tail, the gaps that align sections) must be zero. */
    private void checkPadding(List<Entry> entries, long indexOffset) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(java.util.Comparator.comparingLong(Entry::offset));
        long end = ArtifactFormat.AT_HEADER_CRC + 4;
        for (Entry e : byOffset) {
            if (e.offset() < end) throw fail("corrupt: section " + e.name() + " overlaps another");
            zeros(end, e.offset());
            end = e.offset() + e.length();
        }
        zeros(end, indexOffset);
    }

    private void zeros(long from, long to) {
        for (long i = from; i < to; i++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, i) != 0) throw fail("corrupt: nonzero padding at byte " + i);
        }
    }

    private ByteBuffer section(Entry e) {
        ByteBuffer data = bytes.asSlice(e.offset(), e.length()).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (ArtifactWriter.crc(data.duplicate()) != e.crc()) {
            throw fail("corrupt: checksum mismatch in " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " section " + e.name());
        }
        return data;
    }

    private Map<String, String> meta(ByteBuffer data) {
        try {
            return ArtifactMeta.parse(StandardCharsets.UTF_8.decode(data).toString());
        } catch (IllegalArgumentException e) {
            throw fail("corrupt meta section: " + e.getMessage());
        }
    }

    private void checkVersions(Map<String, String> meta) {
        String built = meta.get(ArtifactMeta.KILN_VERSION);
        if (!Kiln.VERSION.equals(built)) {
            throw fail("built by Kiln " + built + ", this is Kiln " + Kiln.VERSION + ": compile the model again with this Kiln");
        }
        long java = number(meta, ArtifactMeta.JAVA_VERSION);
        if (java != Runtime.version().feature()) {
            throw fail("kernels compiled for Java " + java + ", this is Java " + Runtime.version().feature()
                    + ": compile the model again on this Java");
        }
        if (meta.get(ArtifactMeta.DEVICE) == null) throw fail("corrupt meta section: no device");
    }

    private long number(Map<String, String> meta, String key) {
        try {
            return Long.parseLong(meta.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            throw fail("corrupt meta section: " + key + " is not a number");
        }
    }

    private Tensor tensor(Entry e, ByteBuffer data) {
        try {
            ValueType type = IrParser.parseType(e.info());
            if (!(type instanceof TensorType tt) || !tt.shape().isStatic()) throw new IllegalArgumentException("not a static tensor type");
            return TensorBlobs.decode(tt, data);
        } catch (IllegalArgumentException | IrParseException ex) {
            throw fail("corrupt: tensor " + e.name() + " (" + e.info() + "): " + ex.getMessage());
        }
    }

    private ModelException fail(String message) { return new ModelException(file + ": " + message); }
}
