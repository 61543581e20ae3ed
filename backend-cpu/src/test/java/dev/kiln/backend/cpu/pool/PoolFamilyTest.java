package dev.kiln.backend.cpu.pool;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pooling on the CPU backend against the reference interpreter: windows with padding, stride, dilation; global. */
class PoolFamilyTest {
    @Test
    void windowedAndGlobalPoolingMatchTheInterpreter() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[2,3,11,9]) -> (%m: f32[2,3,6,5], %a: f32[2,3,6,5], %p: f32[2,3,6,5], %d: f32[2,3,5,3], %g: f32[2,3,1,1], %gm: f32[2,3,1,1], %c: f32[2,3,5,4]) {
                  opsets {"": 19}
                  %m: f32[2,3,6,5] = MaxPool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} name "max"
                  %a: f32[2,3,6,5] = AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} name "avg"
                  %p: f32[2,3,6,5] = AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2], count_include_pad = 1} name "avgpad"
                  %d: f32[2,3,5,3] = MaxPool(%x) {kernel_shape = [2, 2], dilations = [2, 2], strides = [2, 3]} name "dilated"
                  %g: f32[2,3,1,1] = GlobalAveragePool(%x) name "gap"
                  %gm: f32[2,3,1,1] = GlobalMaxPool(%x) name "gmp"
                  %c: f32[2,3,5,4] = MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2], ceil_mode = 1} name "ceil"
                }
                """);
        check(graph, 1, 2, 3, 11, 9);
    }

    /** Rows narrower than a vector (a small CNN's 8-wide rows, 7×7 planes) and rows with a partial last vector. */
    @Test
    void narrowRowsAndPartialVectorsMatchTheInterpreter() {
        Graph narrow = IrParser.parse("""
                graph @main(%x: f32[1,5,8,8]) -> (%m: f32[1,5,4,4], %a: f32[1,5,8,8], %s: f32[1,5,3,3]) {
                  opsets {"": 19}
                  %m: f32[1,5,4,4] = MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2]} name "max2x2"
                  %a: f32[1,5,8,8] = AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} name "same"
                  %s: f32[1,5,3,3] = MaxPool(%x) {kernel_shape = [3, 2], pads = [0, 1, 1, 0], strides = [3, 3]} name "stride3"
                }
                """);
        check(narrow, 1, 1, 5, 8, 8);
        Graph wide = IrParser.parse("""
                graph @main(%x: f32[1,2,7,37]) -> (%m: f32[1,2,4,19], %a: f32[1,2,3,13], %d: f32[1,2,3,33], %s: f32[1,2,1,6]) {
                  opsets {"": 19}
                  %m: f32[1,2,4,19] = MaxPool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} name "max"
                  %a: f32[1,2,3,13] = AveragePool(%x) {kernel_shape = [2, 4], pads = [0, 2, 0, 1], strides = [2, 3], count_include_pad = 1} name "avgpad"
                  %d: f32[1,2,3,33] = MaxPool(%x) {kernel_shape = [3, 3], dilations = [2, 2]} name "dilated"
                  %s: f32[1,2,1,6] = AveragePool(%x) {kernel_shape = [6, 6], strides = [6, 6]} name "stride6"
                }
                """);
        check(wide, 1, 1, 2, 7, 37);
        Graph column = IrParser.parse("""
                graph @main(%x: f32[1,3,6,1]) -> (%m: f32[1,3,3,1], %a: f32[1,3,6,1]) {
                  opsets {"": 19}
                  %m: f32[1,3,3,1] = MaxPool(%x) {kernel_shape = [2, 1], strides = [2, 1]} name "max"
                  %a: f32[1,3,6,1] = AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} name "avg"
                }
                """);
        check(column, 1, 1, 3, 6, 1);
    }

    /** Enough planes to split over two threads. */
    @Test
    void largePoolsSplitOverTwoThreadsMatchTheInterpreter() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[1,64,40,40]) -> (%m: f32[1,64,20,20], %a: f32[1,64,20,20]) {
                  opsets {"": 19}
                  %m: f32[1,64,20,20] = MaxPool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} name "max"
                  %a: f32[1,64,20,20] = AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} name "avg"
                }
                """);
        check(graph, 2, 1, 64, 40, 40);
    }

    private static void check(Graph graph, int threads, long... shape) {
        CpuPlan plan = new CpuPlan(graph, new CpuContext(threads, null));
        for (var step : plan.steps()) assertTrue(step.describe().contains("pooling"), step.describe());
        Tensor x = Tensor.zeros(DType.F32, shape);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, r.nextDouble(-2, 2));
        Map<String, RuntimeValue> inputs = Map.of("x", x);
        Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
        try (Frame frame = plan.newFrame()) {
            Map<String, RuntimeValue> actual = plan.run(frame, inputs);
            for (var e : expected.entrySet()) {
                Tensor want = (Tensor) e.getValue(), got = (Tensor) actual.get(e.getKey());
                assertEquals(Arrays.toString(want.shape()), Arrays.toString(got.shape()), e.getKey());
                for (int i = 0; i < want.size(); i++) assertEquals(want.getDouble(i), got.getDouble(i), 1e-5, e.getKey() + " element " + i);
            }
        }
    }

    @Test
    void maxPoolWithIndicesStaysGeneric() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[1,1,4,4]) -> (%y: f32[1,1,2,2], %i: i64[1,1,2,2]) {
                  opsets {"": 12}
                  %y: f32[1,1,2,2], %i: i64[1,1,2,2] = MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2]} name "max"
                }
                """);
        assertTrue(new CpuPlan(graph, new CpuContext(1, null)).steps().getFirst().describe().contains("generic"));
    }
}
