package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.OpenClDevice;
import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.cl.ClDevices;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an emit dir holds, and the models the offline flow refuses before writing anything. */
class FpgaEmitterTest {
    private static final RenderOptions OPTIONS = TinyCnn.OPTIONS;

    @TempDir
    Path dir;

    @Test
    void writesKernelsManifestWeightsTheDeviceBinaryAndExtraFiles() throws IOException {
        OpenClDevice.require();
        Graph graph = TinyCnn.graph();
        try (ClContext context = new ClContext(ClDevices.get().devices().getFirst())) {
            DeviceBuild target = new DeviceBuild(context);
            FpgaEmitter.Emitted emitted = FpgaEmitter.emit(graph, OPTIONS, target, dir, Map.of("estimate.txt", "all estimates\n"));
            assertEquals(List.of("kernels.cl", "kiln.manifest.json", "kiln.weights.bin", target.binaryName(), "estimate.txt"),
                    emitted.files().stream().map(f -> f.getFileName().toString()).toList());
            ProgramPlan plan = TinyCnn.plan(graph);
            assertEquals(plan.source(), Files.readString(dir.resolve("kernels.cl")));
            HostManifest manifest = ManifestJson.read(Files.readString(dir.resolve("kiln.manifest.json")), "kiln.manifest.json");
            assertEquals(emitted.manifest(), manifest);
            assertEquals(target.id(), manifest.target());
            assertEquals(GraphIdentity.sha256(plan.source().getBytes(java.nio.charset.StandardCharsets.UTF_8)), manifest.program().sourceSha256());
            assertArrayEquals(WeightsFile.bytes(manifest.weights(), plan.graph()), Files.readAllBytes(dir.resolve("kiln.weights.bin")));
            assertEquals(List.of("kiln.weights.bin", target.binaryName()), List.copyOf(manifest.files().keySet()));
            assertEquals(GraphIdentity.sha256(Files.readAllBytes(dir.resolve(target.binaryName()))), manifest.files().get(target.binaryName()));
            assertEquals("all estimates\n", Files.readString(dir.resolve("estimate.txt")));
            assertThrows(IllegalArgumentException.class, () -> FpgaEmitter.emit(graph, OPTIONS, target, dir, Map.of("kernels.cl", "x")));
            assertThrows(IllegalArgumentException.class, () -> FpgaEmitter.emit(graph, OPTIONS, target, dir, Map.of("../up.txt", "x")));
        }
    }

    @Test
    void nodesWithoutKernelsAreListedAndNothingIsWritten() {
        Graph graph = IrParser.parse("graph @g(%x: f32[2,3]) -> (%y: f32[*], %z: f32[*]) {\n  opsets {\"\": 17}\n"
                + "  %s: i64[*] = Shape(%x) name \"shape\"\n  %y: f32[*] = Relu(%x) name \"relu\"\n"
                + "  %z: f32[*] = Cast(%s) {to = 1} name \"cast\"\n}\n");
        KilnException e = assertThrows(KilnException.class, () -> FpgaEmitter.emit(graph, OPTIONS, null, dir.resolve("out"), Map.of()));
        assertEquals("graph 'g': the OpenCL kernels cannot run 2 node(s): node 'shape' (Shape): no OpenCL kernel for Shape; "
                + "node 'cast' (Cast): no OpenCL kernel for Cast", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("out")));
    }

    @Test
    void inputsThatAreNotFloatAreRefused() {
        Graph graph = IrParser.parse("graph @g(%x: f32[2,3], %s: i64[2]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
                + "  %y: f32[*] = Reshape(%x, %s) name \"reshape\"\n}\n");
        KilnException e = assertThrows(KilnException.class, () -> FpgaEmitter.emit(graph, OPTIONS, null, dir, Map.of()));
        assertTrue(e.getMessage().startsWith("graph 'g': the offline flow builds for the declared input shapes, which needs every input "
                + "to be float32 with a known rank"), e.getMessage());
    }
}
