package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.plan.PlanChecks.matchesInterpreter;
import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shape-only chains rerun when the batch changes and are reused while it does not. */
class MemoizedStepTest {
    private static final Graph CHAIN = IrParser.parse("""
            graph @main(%x: f32[batch,8,8]) -> (%z: f32[?,?,?], %s: f32[batch,8,8]) {
              opsets {"": 14}
              const %zero: i64[] = dense<[0]>
              const %one: i64[1] = dense<[1]>
              const %width: i64[1] = dense<[32]>
              const %axes: i64[1] = dense<[0]>
              %shape: i64[3] = Shape(%x) name "shape"
              %n: i64[] = Gather(%shape, %zero) {axis = 0} name "gather"
              %n1: i64[1] = Unsqueeze(%n, %axes) name "unsqueeze"
              %dims: i64[3] = Concat(%one, %n1, %width) {axis = 0} name "concat"
              %z: f32[?,?,?] = ConstantOfShape(%dims) {value = dense<[0.5]> : f32[1]} name "fill"
              %s: f32[batch,8,8] = Sigmoid(%x) name "sigmoid"
            }
            """);

    @Test
    void theShapeChainIsMemoizedAndFollowsAChangeOfBatch() {
        CpuPlan plan = new CpuPlan(CHAIN, new CpuContext(1, null));
        long memoized = plan.steps().stream().filter(s -> s.describe().contains("memoized")).count();
        assertEquals(4, memoized, "Shape, Gather, Concat and ConstantOfShape");
        matchesInterpreter(CHAIN, 1, "fill", "memoized",
                Map.of("x", random(1, 1, 8, 8)), Map.of("x", random(2, 3, 8, 8)), Map.of("x", random(3, 1, 8, 8)));
    }
}
