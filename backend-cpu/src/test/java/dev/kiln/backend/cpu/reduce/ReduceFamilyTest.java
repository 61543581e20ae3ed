package dev.kiln.backend.cpu.reduce;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.products.ReferenceCheck;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReduceMean and ReduceSum over consecutive axes on the CPU, against the reference interpreter. */
class ReduceFamilyTest {
    @Test
    void aMeanOverTheMiddleAxisWithoutKeptDims() {
        Graph graph = graph("f32[batch,8,32]", "f32[batch,32]", "ReduceMean(%x) {axes = [1], keepdims = 0}", 17);
        ReferenceCheck.check(graph, "mean over axes 1..1", runs(new long[] {1, 8, 32}, new long[] {3, 8, 32}));
    }

    @Test
    void aSumOverTheLastAxesGivenAsAnInput() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[2,3,4,5]) -> (%y: f32[2,1,1,1]) {
                  opsets {"": 13}
                  const %axes: i64[3] = dense<[-1, 1, 2]>
                  %y: f32[2,1,1,1] = ReduceSum(%x, %axes) {keepdims = 1} name "reduce"
                }
                """);
        ReferenceCheck.check(graph, "sum over axes 1..3", runs(new long[] {2, 3, 4, 5}));
    }

    @Test
    void everyAxisWhenNoneAreGiven() {
        Graph graph = graph("f32[4,3]", "f32[1,1]", "ReduceMean(%x)", 13);
        ReferenceCheck.check(graph, "mean over axes 0..1", runs(new long[] {4, 3}));
    }

    @Test
    void axesWithAGapAndOtherReductionsRunTheGenericKernel() {
        for (String op : new String[] {"ReduceMean(%x) {axes = [0, 2]}", "ReduceMax(%x) {axes = [1]}"}) {
            Graph graph = graph("f32[2,3,4]", "f32[*]", op, 13);
            String step = new CpuPlan(graph, new CpuContext(1, null)).steps().getFirst().describe();
            assertTrue(step.contains("generic"), step);
        }
    }

    private static Graph graph(String in, String out, String node, int opset) {
        return IrParser.parse("graph @main(%x: " + in + ") -> (%y: " + out + ") {\n  opsets {\"\": " + opset + "}\n  %y: " + out + " = "
                + node + " name \"reduce\"\n}\n");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, RuntimeValue>[] runs(long[]... shapes) {
        Map<String, RuntimeValue>[] runs = new Map[shapes.length];
        for (int i = 0; i < shapes.length; i++) runs[i] = Map.of("x", ReferenceCheck.random(i + 1, shapes[i]));
        return runs;
    }
}
