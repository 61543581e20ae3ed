package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.Oracle;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.plan.Specializer;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest of a plan: buffers with their roles, sizes and views, launches in order, the weights layout. */
class PlanManifestTest {
    @Test
    void listsEveryBufferWithItsRoleSizeAndViews() {
        HostManifest m = TinyCnn.manifest(TinyCnn.graph(), "test");
        Map<String, HostManifest.Buffer> buffers = m.buffers().stream().collect(Collectors.toMap(HostManifest.Buffer::name, b -> b));
        assertEquals(HostManifest.Role.INPUT, buffers.get("x").role());
        assertEquals(2 * 6 * 6 * 4, buffers.get("x").bytes());
        assertEquals(HostManifest.Role.WEIGHT, buffers.get("w").role());
        assertEquals(4 * 2 * 3 * 3 * 4, buffers.get("w").bytes());
        assertEquals(HostManifest.Role.OUTPUT, buffers.get("y").role());
        assertEquals(40, buffers.get("y").bytes());
        assertEquals(List.of("f"), buffers.get("r").views(), "Flatten's output shares Relu's buffer");
        assertEquals(HostManifest.Role.INTERMEDIATE, buffers.get("r").role());
        assertTrue(buffers.values().stream().allMatch(b -> b.dtype().equals("f32")));
        assertEquals(List.of(new HostManifest.Port("x", "f32", List.of(1L, 2L, 6L, 6L), "x")), m.inputs());
        assertEquals(List.of(new HostManifest.Port("y", "f32", List.of(1L, 10L), "y")), m.outputs());
    }

    @Test
    void kernelsTakeBuffersInLaunchOrderWithViewsResolved() {
        ProgramPlan plan = TinyCnn.plan(TinyCnn.graph());
        HostManifest m = PlanManifest.of(plan, TinyCnn.OPTIONS, "test");
        assertEquals(plan.launches().stream().map(ProgramPlan.Launch::kernel).toList(), m.kernels().stream().map(HostManifest.Kernel::name).toList());
        HostManifest.Kernel gemm = m.kernels().getLast();
        assertEquals("fc", gemm.node());
        assertEquals(List.of("r", "g", "gb", "y"), gemm.args(), "the Gemm reads Flatten's output from Relu's buffer");
    }

    @Test
    void weightsAreAlignedSlicesOfTheConstantsLittleEndian() {
        Graph graph = TinyCnn.graph();
        ProgramPlan plan = TinyCnn.plan(graph);
        HostManifest.Weights layout = PlanManifest.of(plan, TinyCnn.OPTIONS, "test").weights();
        assertEquals(List.of("w", "b", "g", "gb"), layout.slices().stream().map(HostManifest.Slice::buffer).toList());
        ByteBuffer file = ByteBuffer.wrap(WeightsFile.bytes(layout, plan.graph())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(layout.bytes(), file.capacity());
        for (HostManifest.Slice s : layout.slices()) {
            assertEquals(0, s.offset() % PlanManifest.ALIGNMENT, s.buffer());
            Tensor t = graph.constants().get(s.buffer());
            for (int i = 0; i < t.size(); i++) assertEquals(t.getDouble(i), file.getFloat((int) s.offset() + 4 * i), s.buffer() + "[" + i + "]");
        }
    }

    @Test
    void theGraphHashCoversShapesAndWeights() {
        String hash = TinyCnn.manifest(TinyCnn.graph(), "test").graphHash();
        assertEquals(hash, TinyCnn.manifest(TinyCnn.graph(), "other").graphHash(), "the same model hashes the same");
        Graph otherWeights = IrParser.parse(TinyCnn.IR.replace(Oracle.constant("gb", 10), "  const %gb: f32[10] = dense<[" + "0.5, ".repeat(9) + "0.5]>\n"));
        assertNotEquals(hash, TinyCnn.manifest(otherWeights, "test").graphHash());
        Graph graph = TinyCnn.graph();
        Graph batch2 = Specializer.bind(graph, Map.of("x", Tensor.zeros(DType.F32, 2, 2, 6, 6)));
        assertNotEquals(hash, GraphIdentity.of(batch2));
    }

    @Test
    void streamsArePipesWithStagesAndTheRenderChoicesAreKept() {
        Graph graph = TinyCnn.graph();
        RenderOptions pipes = TinyCnn.OPTIONS.withStreaming(Streaming.PIPES);
        ProgramPlan plan = ProgramPlan.render(Specializer.bind(graph, Specializer.placeholders(graph)), pipes);
        HostManifest m = PlanManifest.of(plan, pipes, "test");
        assertEquals(pipes, m.render());
        assertEquals("-cl-std=CL2.0", m.program().buildOptions());
        assertEquals(plan.streams().size(), m.streams().size());
        assertTrue(!m.streams().isEmpty(), "conv -> relu streams");
        for (HostManifest.Stream s : m.streams()) {
            HostManifest.Buffer pipe = m.buffers().stream().filter(b -> b.name().equals(s.value())).findFirst().orElseThrow();
            assertEquals(HostManifest.Role.PIPE, pipe.role());
            assertEquals(Math.max(s.depth(), s.elements()) * 4, pipe.bytes());
            HostManifest.Kernel producer = m.kernels().stream().filter(k -> k.name().equals(s.producer())).findFirst().orElseThrow();
            HostManifest.Kernel consumer = m.kernels().stream().filter(k -> k.name().equals(s.consumer())).findFirst().orElseThrow();
            assertEquals(producer.stage(), consumer.stage(), "a stream's ends run at once");
        }
        assertEquals(m, ManifestJson.read(ManifestJson.write(m), "m.json"));
    }
}
