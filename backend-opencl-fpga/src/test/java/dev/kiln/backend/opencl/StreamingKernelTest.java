package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.runtime.spi.KernelChoice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streamed programs run on PoCL with each pipe mapped to a global buffer as deep as the whole tensor
 * ({@link Streaming#PIPES_AS_FIFO}): on the in-order queue each producer finishes before its consumer starts, a
 * valid schedule of such a FIFO, so agreement with the interpreter checks the order and data of every stream —
 * not concurrency, nor deadlock-freedom under small depths.
 */
public class StreamingKernelTest {
    /** conv → relu → add → mul(a, a) → max pool → flatten → gemm → softmax: streams c, r, m, p (through the view), g. */
    public static final String CHAIN = "graph @chain(%x: f32[1,2,6,6], %z: f32[1,4,6,6]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
            + Oracle.constant("w", 4, 2, 3, 3) + Oracle.constant("wg", 5, 36) + Oracle.constant("bg", 5)
            + "  %c: f32[*] = Conv(%x, %w) {pads = [1, 1, 1, 1]} name \"conv\"\n"
            + "  %r: f32[*] = Relu(%c) name \"relu\"\n"
            + "  %a: f32[*] = Add(%r, %z) name \"add\"\n"
            + "  %m: f32[*] = Mul(%a, %a) name \"square\"\n"
            + "  %p: f32[*] = MaxPool(%m) {kernel_shape = [2, 2], strides = [2, 2]} name \"pool\"\n"
            + "  %f: f32[*] = Flatten(%p) name \"flatten\"\n"
            + "  %g: f32[*] = Gemm(%f, %wg, %bg) {transB = 1} name \"fc\"\n"
            + "  %y: f32[*] = Softmax(%g) name \"softmax\"\n}\n";

    @Test
    void aStreamedChainMatchesTheInterpreter() {
        List<KernelChoice> kernels = Oracle.agree(CHAIN, r -> r.withStreaming(Streaming.PIPES_AS_FIFO));
        // The conv writes through a line buffer, out of order: it holds c whole; the relu reads it in order.
        String conv = kernels.get(0).kernel();
        assertTrue(conv.contains("line buffer") && conv.endsWith("streams c via stream0 (held whole in __local)"), conv);
        String relu = kernels.get(1).kernel();
        assertTrue(relu.endsWith("streams c via stream0, r via stream1"), relu);
        // The pool's line buffer loads every element of m once, in order: m streams straight into it.
        String pool = kernels.get(4).kernel();
        assertTrue(pool.contains("line buffer") && pool.endsWith("streams m via stream2, p via stream3"), pool);
    }

    @Test
    void aPoolWhoseWindowsSkipRowsHoldsItsStreamedInputWhole() {
        String ir = "graph @g(%x: f32[1,2,7,7]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
                + "  %t: f32[*] = Tanh(%x) name \"tanh\"\n"
                + "  %p: f32[*] = MaxPool(%t) {kernel_shape = [2, 2], strides = [3, 3]} name \"pool\"\n"
                + "  %y: f32[*] = Neg(%p) name \"neg\"\n}\n";
        List<KernelChoice> kernels = Oracle.agree(ir, r -> r.withStreaming(Streaming.PIPES_AS_FIFO));
        assertTrue(kernels.get(1).kernel().endsWith("streams t via stream0 (held whole in __local), p via stream1"), kernels.get(1).kernel());
    }

    @Test
    void streamedElementwiseAndGlobalPoolsReadInOrder() {
        String ir = "graph @g(%x: f32[2,3,4,4]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
                + Oracle.constant("s", 3) + Oracle.constant("b", 3) + Oracle.constant("mu", 3) + "  const %v: f32[3] = dense<[1.0, 2.0, 0.5]>\n"
                + "  %t: f32[*] = Tanh(%x) name \"tanh\"\n"
                + "  %n: f32[*] = BatchNormalization(%t, %s, %b, %mu, %v) name \"bn\"\n"
                + "  %a: f32[*] = GlobalAveragePool(%n) name \"gap\"\n"
                + "  %y: f32[*] = Sigmoid(%a) name \"sigmoid\"\n}\n";
        List<KernelChoice> kernels = Oracle.agree(ir, r -> r.withStreaming(Streaming.PIPES_AS_FIFO));
        assertEquals("k2_globalaveragepool: single-work-item global average pool over 16, unroll 8, streams n via stream1, a via stream2",
                kernels.get(2).kernel());
    }
}
