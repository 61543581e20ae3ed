package dev.kiln.backend.opencl.plan;

import dev.kiln.backend.opencl.StreamingKernelTest;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which values stream, the stages they make, and what each streaming mode renders (no device needed). */
class ProgramPlanStreamsTest {
    private static ProgramPlan plan(Streaming mode) {
        Graph graph = IrParser.parse(StreamingKernelTest.CHAIN);
        Map<String, Tensor> inputs = new HashMap<>();
        for (Value v : graph.inputs()) inputs.put(v.name(), Tensor.zeros(DType.F32, v.tensorType().shape().toArray()));
        return ProgramPlan.render(Specializer.bind(graph, inputs), RenderOptions.defaults(64 * 1024).withStreaming(mode));
    }

    @Test
    void singleReaderIntermediatesStreamAndTheirKernelsShareAStage() {
        ProgramPlan plan = plan(Streaming.PIPES);
        // a is read twice by one kernel, y is the graph's output: both stay in global buffers.
        assertEquals(List.of("c", "r", "m", "p", "g"), plan.streams().stream().map(ProgramPlan.Stream::value).toList());
        assertEquals(List.of(0, 0, 0, 1, 1, 1, 1), plan.launches().stream().map(ProgramPlan.Launch::stage).toList());
        assertEquals(List.of("f", "wg", "bg", "g"), plan.launches().get(5).args()); // the pipe p, read through the view f
        assertEquals("p", plan.bufferOf("f"));
        assertEquals("-cl-std=CL2.0", plan.buildOptions());
        assertTrue(plan.source().contains("__kernel void k1_relu(KILN_STREAM_IN(stream0), KILN_STREAM_OUT(stream1))"), plan.source());
    }

    @Test
    void channelsAreProgramScopeAndNoKernelArguments() {
        ProgramPlan plan = plan(Streaming.CHANNELS);
        assertTrue(plan.source().contains("#pragma OPENCL EXTENSION cl_intel_channels : enable\nchannel float stream0 __attribute__((depth(64)));"),
                plan.source());
        assertTrue(plan.source().contains("__kernel void k1_relu()"), plan.source());
        assertEquals(List.of("wg", "bg"), plan.launches().get(5).args());
        assertEquals("-cl-std=CL1.2", plan.buildOptions());
    }

    @Test
    void eachStreamHasOneReadAndOneWriteSite() {
        for (Streaming mode : List.of(Streaming.PIPES, Streaming.CHANNELS)) {
            String source = plan(mode).source();
            for (ProgramPlan.Stream s : plan(mode).streams()) {
                assertEquals(1, count(source, "KILN_READ(" + s.id() + ")"), mode + " " + s);
                assertEquals(1, count(source, "KILN_WRITE(" + s.id() + ", "), mode + " " + s);
            }
        }
    }

    @Test
    void globalBuffersRenderNoStreams() {
        ProgramPlan plan = plan(Streaming.GLOBAL);
        assertTrue(plan.streams().isEmpty());
        assertFalse(plan.source().contains("KILN_"), plan.source());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), plan.launches().stream().map(ProgramPlan.Launch::stage).toList());
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
