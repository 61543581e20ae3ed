package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.OpenClBackend;
import dev.kiln.backend.opencl.OpenClDevice;
import dev.kiln.backend.opencl.Oracle;
import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.cl.ClDevices;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.Executable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prebuilt-binary path on this machine's OpenCL device (PoCL in CI): the emit dir's device binary, fetched with
 * {@code CL_PROGRAM_BINARIES}, is loaded back with {@code clCreateProgramWithBinary} and must compute exactly what
 * the program built from source computes; a binary that does not fit the model, or that the device rejects, is refused.
 */
class PrebuiltProgramTest {
    @TempDir
    Path dir;
    private Path binary;

    @BeforeEach
    void emitTheDeviceBinary() {
        OpenClDevice.require();
        try (ClContext context = new ClContext(ClDevices.get().devices().getFirst())) {
            DeviceBuild target = new DeviceBuild(context);
            FpgaEmitter.emit(TinyCnn.graph(), RenderOptions.defaults(context.device().localMemBytes()), target, dir, Map.of());
            binary = dir.resolve(target.binaryName());
        }
    }

    @Test
    void theBinaryComputesExactlyWhatTheSourceBuildComputes() {
        Graph graph = TinyCnn.graph();
        Map<String, RuntimeValue> inputs = Map.of("x", Oracle.random(new TensorType(DType.F32, Shape.of(1, 2, 6, 6)), new Random(7)));
        Tensor fromSource = run(graph, CompileOptions.defaults(), inputs);
        Tensor fromBinary = run(graph, CompileOptions.defaults().withDeviceBinary(binary), inputs);
        assertArrayEquals(fromSource.toFloats(), fromBinary.toFloats());
        assertArrayEquals(new long[] {1, 10}, fromBinary.shape());
    }

    @Test
    void theManifestsRenderChoicesAreTheOnesTheBinaryRunsWith() {
        // Streams as whole-tensor FIFOs run on any device; the runner must render them again from the manifest.
        RenderOptions fifo = TinyCnn.OPTIONS.withStreaming(Streaming.PIPES_AS_FIFO);
        Path fifoDir = dir.resolve("fifo");
        Path fifoBinary;
        try (ClContext context = new ClContext(ClDevices.get().devices().getFirst())) {
            DeviceBuild target = new DeviceBuild(context);
            assertTrue(!FpgaEmitter.emit(TinyCnn.graph(), fifo, target, fifoDir, Map.of()).manifest().streams().isEmpty());
            fifoBinary = fifoDir.resolve(target.binaryName());
        }
        Map<String, RuntimeValue> inputs = Map.of("x", Oracle.random(new TensorType(DType.F32, Shape.of(1, 2, 6, 6)), new Random(8)));
        Tensor fromSource;
        try (Executable.Runner runner = new OpenClBackend().compile(TinyCnn.graph(), CompileOptions.defaults(), fifo).newRunner()) {
            fromSource = (Tensor) runner.run(inputs).get("y");
        }
        assertArrayEquals(fromSource.toFloats(), run(TinyCnn.graph(), CompileOptions.defaults().withDeviceBinary(fifoBinary), inputs).toFloats());
    }

    @Test
    void aBinaryOfAnotherModelIsRefusedAtCompile() {
        Graph other = IrParser.parse(TinyCnn.IR.replace(Oracle.constant("gb", 10), "  const %gb: f32[10] = dense<[" + "0.5, ".repeat(9) + "0.5]>\n"));
        KilnException e = assertThrows(KilnException.class,
                () -> new OpenClBackend().compile(other, CompileOptions.defaults().withDeviceBinary(binary)));
        assertTrue(e.getMessage().startsWith("binary " + binary + " does not fit this model: it was built for graph 'tiny' sha256:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(another model, other weights or another optimization level) (manifest "
                + dir.resolve("kiln.manifest.json") + ")"), e.getMessage());
    }

    @Test
    void aManifestWithOtherKernelsOrAnotherSourceIsRefused() throws IOException {
        Path manifest = dir.resolve("kiln.manifest.json");
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replace("\"k0_conv\"", "\"k0_other\""));
        KilnException kernels = assertThrows(KilnException.class,
                () -> new OpenClBackend().compile(TinyCnn.graph(), CompileOptions.defaults().withDeviceBinary(binary)));
        assertTrue(kernels.getMessage().contains("does not fit this model: launch 0 is k0_other(x, w, b, c) in stage 0 in the manifest, "
                + "this model needs k0_conv(x, w, b, c) in stage 0"), kernels.getMessage());
        String sha = ManifestJson.read(json, "m").program().sourceSha256();
        Files.writeString(manifest, json.replace(sha, "0".repeat(64)));
        KilnException source = assertThrows(KilnException.class,
                () -> new OpenClBackend().compile(TinyCnn.graph(), CompileOptions.defaults().withDeviceBinary(binary)));
        assertTrue(source.getMessage().contains("does not fit this model: its kernels' source has SHA-256 " + "0".repeat(64)
                + ", this Kiln renders " + sha), source.getMessage());
    }

    @Test
    void inputsOfOtherShapesAreRefusedAtRun() {
        Executable executable = new OpenClBackend().compile(TinyCnn.graph(), CompileOptions.defaults().withDeviceBinary(binary));
        Map<String, RuntimeValue> batch2 = Map.of("x", Tensor.zeros(DType.F32, 2, 2, 6, 6));
        try (Executable.Runner runner = executable.newRunner()) {
            KilnException e = assertThrows(KilnException.class, () -> runner.run(batch2));
            assertTrue(e.getMessage().contains("does not fit this model: it was built for inputs x f32[1,2,6,6], this run has x f32[2,2,6,6]"),
                    e.getMessage());
        }
    }

    @Test
    void aBinaryThatIsNotTheFileWrittenWithTheManifestIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(binary);
        Files.write(binary, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        KilnException e = assertThrows(KilnException.class,
                () -> new OpenClBackend().compile(TinyCnn.graph(), CompileOptions.defaults().withDeviceBinary(binary)));
        assertTrue(e.getMessage().startsWith("binary " + binary + " is not the file written with " + dir.resolve("kiln.manifest.json")
                + " (SHA-256 "), e.getMessage());
    }

    @Test
    void aBinaryTheDeviceRejectsIsRefusedWithTheOpenClError() throws IOException {
        byte[] bytes = Files.readAllBytes(binary);
        for (int i = 0; i < bytes.length; i += 7) bytes[i] ^= (byte) 0x5a;
        Path unlisted = Files.write(dir.resolve("kiln.garbled.bin"), bytes); // not in the manifest's files: only the device can judge it
        KilnException e = assertThrows(KilnException.class,
                () -> new OpenClBackend().compile(TinyCnn.graph(), CompileOptions.defaults().withDeviceBinary(unlisted)));
        assertTrue(e.getMessage().startsWith("binary " + unlisted + " "), e.getMessage());
        assertTrue(e.getMessage().contains("CL_INVALID_BINARY"), "the OpenCL error is shown: " + e.getMessage());
    }

    @Test
    void aBinaryWithoutItsManifestIsRefused() throws IOException {
        Path moved = Files.createDirectories(dir.resolve("elsewhere")).resolve("model.bin");
        Files.copy(binary, moved);
        KilnException e = assertThrows(KilnException.class,
                () -> new OpenClBackend().compile(TinyCnn.graph(), CompileOptions.defaults().withDeviceBinary(moved)));
        assertEquals("binary " + moved + ": no manifest " + moved.resolveSibling("model.manifest.json")
                + " beside it (kiln compile --emit-dir writes it)", e.getMessage());
    }

    private static Tensor run(Graph graph, CompileOptions options, Map<String, RuntimeValue> inputs) {
        try (Executable.Runner runner = new OpenClBackend().compile(graph, options).newRunner()) {
            return (Tensor) runner.run(inputs).get("y");
        }
    }
}
