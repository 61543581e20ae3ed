package dev.kiln.runtime.artifact;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.ModelException;
import dev.kiln.runtime.spi.CompiledKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The artifact file on its own (no backend): what is written reads back equal, and damaged files are refused. */
class ArtifactFileTest {
    @TempDir
    Path dir;

    private static final Tensor WEIGHTS = Tensor.ofFloats(new long[] {2, 32}, ramp(64));
    private static final Tensor LABELS = Tensor.ofStrings(new long[] {20}, names(20));
    private static final CompiledKernel KERNEL = new CompiledKernel("Elementwise0123", "class Elementwise0123 {}",
            Map.of("dev.kiln.backend.cpu.generated.Elementwise0123", new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2},
                    "dev.kiln.backend.cpu.generated.Elementwise0123$Inner", new byte[] {3, 4}));

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.5f - 3;
        return v;
    }

    private static String[] names(int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) s[i] = "label " + i + (i % 3 == 0 ? " ünïcode" : "");
        return s;
    }

    private static Graph graph() {
        String text = "graph @t(%x: f32[2,32]) -> (%y: f32[2,32]) {\n"
                + "  opsets {\"\": 13}\n"
                + "  const %w: f32[2,32] = resource<sha256:" + WEIGHTS.contentHash() + ">\n"
                + "  const %labels: string[20] = resource<sha256:" + LABELS.contentHash() + ">\n"
                + "  %y: f32[2,32] = Add(%x, %w) {kiln.arena_offsets = [-1], kiln.arena_bytes = [-1]}\n"
                + "}\n";
        return IrParser.parse(text, Map.of(WEIGHTS.contentHash(), WEIGHTS, LABELS.contentHash(), LABELS)::get);
    }

    private static Artifact artifact(String kilnVersion, int java) {
        return new Artifact(graph(), "cpu", 4096, List.of(KERNEL), kilnVersion, java, Map.of("opt_level", "O2", "threads", "2"));
    }

    private Path write(Artifact a) {
        Path file = dir.resolve("model.kiln");
        ArtifactWriter.write(file, a);
        return file;
    }

    private Path written() { return write(artifact(Kiln.VERSION, Runtime.version().feature())); }

    @Test
    void readsBackWhatWasWritten() throws IOException {
        Path file = written();
        Artifact back = ArtifactReader.read(file);
        assertEquals(IrPrinter.print(graph()), IrPrinter.print(back.graph()));
        assertTrue(back.graph().constants().get("w").contentEquals(WEIGHTS));
        assertTrue(back.graph().constants().get("labels").contentEquals(LABELS));
        assertEquals("cpu", back.device());
        assertEquals(4096, back.arenaBytes());
        assertEquals(Map.of("opt_level", "O2", "threads", "2"), back.options());
        assertEquals(1, back.kernels().size());
        CompiledKernel k = back.kernels().getFirst();
        assertEquals(KERNEL.source(), k.source());
        assertEquals(KERNEL.classFiles().keySet(), k.classFiles().keySet());
        KERNEL.classFiles().forEach((name, bytes) -> assertArrayEquals(bytes, k.classFiles().get(name)));
        assertEquals(Map.of(KERNEL.sourceHash(), k), back.kernelsBySourceHash());
        assertTrue(ArtifactReader.isArtifact(Files.readAllBytes(file)));
    }

    @Test
    void writingTwiceGivesTheSameBytes() throws IOException {
        byte[] first = Files.readAllBytes(written());
        byte[] second = Files.readAllBytes(written());
        assertArrayEquals(first, second);
        assertFalse(Files.exists(dir.resolve("model.kiln.partial")));
    }

    @Test
    void weightsLieOn64ByteBoundariesInLittleEndian() throws IOException {
        byte[] file = Files.readAllBytes(written());
        byte[] expected = new byte[WEIGHTS.size() * 4];
        WEIGHTS.data().get(expected);
        int at = indexOf(file, expected);
        assertTrue(at > 0, "the weights' bytes are in the file as stored");
        assertEquals(0, at % 64);
        assertEquals(-3f, ByteBuffer.wrap(file, at, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        return -1;
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Path file = written();
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);
        }
        ModelException e = assertThrows(ModelException.class, () -> ArtifactReader.read(file));
        assertEquals(file + ": truncated: " + (size - 100) + " of " + size + " bytes", e.getMessage());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(10);
        }
        assertEquals(file + ": truncated: 10 bytes, shorter than the header",
                assertThrows(ModelException.class, () -> ArtifactReader.read(file)).getMessage());
    }

    @Test
    void aFlippedBitInTheWeightsIsCaughtByTheChecksum() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        byte[] weights = new byte[WEIGHTS.size() * 4];
        WEIGHTS.data().get(weights);
        int at = indexOf(bytes, weights);
        bytes[at + 17] ^= 0x10;
        Files.write(file, bytes);
        ModelException e = assertThrows(ModelException.class, () -> ArtifactReader.read(file));
        assertEquals(file + ": corrupt: checksum mismatch in tensor section " + WEIGHTS.contentHash(), e.getMessage());
    }

    @Test
    void everyDamagedByteIsRefusedWithOneLine() throws IOException {
        Path file = written();
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i += 7) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) 0x41;
            Files.write(file, bad);
            ModelException e = assertThrows(ModelException.class, () -> ArtifactReader.read(file), "byte " + i);
            assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anotherFormatVersionIsRefused() throws IOException {
        Path file = written();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, ArtifactFormat.VERSION + 1), ArtifactFormat.AT_VERSION);
        }
        ModelException e = assertThrows(ModelException.class, () -> ArtifactReader.read(file));
        assertEquals(file + ": artifact format version " + (ArtifactFormat.VERSION + 1) + ", but Kiln " + Kiln.VERSION + " reads version " + ArtifactFormat.VERSION + ": compile the model again with this Kiln",
                e.getMessage());
    }

    @Test
    void anArtifactOfAnotherKilnOrJavaIsRefused() {
        Path older = write(artifact("0.0.1", Runtime.version().feature()));
        assertEquals(older + ": built by Kiln 0.0.1, this is Kiln " + Kiln.VERSION + ": compile the model again with this Kiln",
                assertThrows(ModelException.class, () -> ArtifactReader.read(older)).getMessage());
        Path otherJava = write(artifact(Kiln.VERSION, 21));
        assertTrue(assertThrows(ModelException.class, () -> ArtifactReader.read(otherJava)).getMessage()
                .startsWith(otherJava + ": kernels compiled for Java 21, this is Java "));
    }

    @Test
    void extraBytesAfterTheEndAreRefused() throws IOException {
        Path file = written();
        Files.write(file, new byte[] {0}, StandardOpenOption.APPEND);
        assertEquals(file + ": corrupt: 1 bytes after the end of the artifact",
                assertThrows(ModelException.class, () -> ArtifactReader.read(file)).getMessage());
    }

    @Test
    void kilnLoadRecognizesAnArtifact() {
        Path file = written();
        var model = Kiln.load(file);
        assertEquals("cpu", model.artifact().device());
        assertEquals(IrPrinter.print(graph()), IrPrinter.print(model.graph()));
    }
}
