package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.cl.ClDevices;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Program builds, the kernel dump, and a session re-planning when the batch size changes. */
class ProgramBuildTest {
    private static final String CNN = "graph @cnn(%x: f32[batch,2,6,6]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
            + Oracle.constant("w", 4, 2, 3, 3)
            + "  %c: f32[*] = Conv(%x, %w) {pads = [1, 1, 1, 1]} name \"conv\"\n  %y: f32[*] = Relu(%c) name \"relu\"\n}\n";

    @Test
    void aBuildFailureCarriesTheCompilerLog() {
        OpenClDevice.require();
        try (ClContext context = new ClContext(ClDevices.get().devices().getFirst())) {
            KilnException e = assertThrows(KilnException.class,
                    () -> context.build("__kernel void f(__global float* y) { y[0] = no_such_name; }", "a broken kernel"));
            assertTrue(e.getMessage().contains("a broken kernel") && e.getMessage().contains("no_such_name"), e.getMessage());
        }
    }

    @Test
    void kernelsAreDumpedAsReadableFpgaStyleSource(@TempDir Path dir) throws IOException {
        OpenClDevice.require();
        Graph graph = IrParser.parse(CNN);
        new OpenClBackend().compile(graph, CompileOptions.defaults().withDumpKernelsDir(dir));
        String source = Files.readString(dir.resolve("cnn_1x2x6x6.cl"));
        assertTrue(source.contains("__kernel void k0_conv("), source);
        assertTrue(source.contains("#pragma unroll 2\n"), source); // the two input channels, unrolled
        assertTrue(source.contains("__local float w_local[72];"), source);
        assertTrue(source.contains("/* node 'relu' (Relu): [1,4,6,6] -> [1,4,6,6] */"), source);
    }

    @Test
    void aSessionReplansWhenTheBatchChanges() {
        OpenClDevice.require();
        Graph graph = IrParser.parse(CNN);
        Executable executable = new OpenClBackend().compile(graph, CompileOptions.defaults());
        try (Executable.Runner runner = executable.newRunner()) {
            for (int batch : new int[] {1, 3, 1}) {
                Tensor x = Oracle.random(new dev.kiln.ir.TensorType(DType.F32, dev.kiln.ir.Shape.of(batch, 2, 6, 6)), new java.util.Random(batch));
                Map<String, RuntimeValue> inputs = Map.of("x", x);
                Tensor actual = (Tensor) runner.run(inputs).get("y");
                Tensor expected = (Tensor) dev.kiln.interpreter.Interpreter.run(graph, inputs).get("y");
                assertArrayEquals(new long[] {batch, 4, 6, 6}, actual.shape());
                Oracle.assertClose("batch " + batch, expected, actual);
            }
            assertEquals("k0_conv", executable.kernels().getFirst().kernel().split(":")[0]);
        }
    }
}
