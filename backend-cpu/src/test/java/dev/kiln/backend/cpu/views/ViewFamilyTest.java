package dev.kiln.backend.cpu.views;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape-only ops as views on the CPU backend: the op's own shape rules, per input shape, and the data unchanged. */
class ViewFamilyTest {
    @Test
    void flattenAndReshapeFollowEachNewInputShape() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[batch,2,3]) -> (%y: f32[?,?], %z: f32[?,?,?]) {
                  opsets {"": 17}
                  const %shape: i64[3] = dense<[0, -1, 2]>
                  %f: f32[batch,6] = Flatten(%x) {axis = 1} name "flatten"
                  %y: f32[batch,6] = Relu(%f) name "relu"
                  %z: f32[?,?,?] = Reshape(%x, %shape) name "reshape"
                }
                """);
        CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null));
        assertTrue(plan.steps().get(0).describe().contains("view"), plan.steps().get(0).describe());
        assertTrue(plan.steps().get(2).describe().contains("view"), plan.steps().get(2).describe());
        try (Frame frame = plan.newFrame()) {
            for (int batch : new int[] {1, 4, 1}) {
                Tensor x = Tensor.zeros(DType.F32, batch, 2, 3);
                for (int i = 0; i < x.size(); i++) x.setDouble(i, i - 5);
                Map<String, RuntimeValue> out = plan.run(frame, Map.of("x", x));
                Tensor y = (Tensor) out.get("y"), z = (Tensor) out.get("z");
                assertArrayEquals(new long[] {batch, 6}, y.shape());
                assertArrayEquals(new long[] {batch, 3, 2}, z.shape());
                for (int i = 0; i < x.size(); i++) {
                    assertTrue(y.getDouble(i) == Math.max(0, i - 5) && z.getDouble(i) == i - 5, "element " + i);
                }
            }
        }
    }

    /** A target computed at run time (a Shape chain's result, here an input): the view follows its values, not just the data's shape. */
    @Test
    void aReshapeWhoseShapeIsComputedFollowsItsValues() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[2,3], %s: i64[2]) -> (%y: f32[?,?]) {
                  opsets {"": 17}
                  %y: f32[?,?] = Reshape(%x, %s) name "reshape"
                }
                """);
        CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null));
        assertTrue(plan.steps().getFirst().describe().contains("view"), plan.steps().getFirst().describe());
        Tensor x = Tensor.zeros(DType.F32, 2, 3);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, i);
        try (Frame frame = plan.newFrame()) {
            for (long[] target : new long[][] {{3, 2}, {-1, 1}, {3, -1}, {1, 6}}) {
                Tensor y = (Tensor) plan.run(frame, Map.of("x", x, "s", Tensor.ofLongs(DType.I64, new long[] {2}, target))).get("y");
                Tensor expected = (Tensor) dev.kiln.interpreter.Interpreter.run(graph, Map.of("x", x, "s", Tensor.ofLongs(DType.I64, new long[] {2}, target))).get("y");
                assertArrayEquals(expected.shape(), y.shape());
                for (int i = 0; i < x.size(); i++) assertTrue(y.getDouble(i) == i, "element " + i);
            }
        }
    }
}
