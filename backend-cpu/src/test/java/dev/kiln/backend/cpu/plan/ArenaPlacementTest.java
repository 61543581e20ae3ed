package dev.kiln.backend.cpu.plan;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Intermediates go where the memory plan put them in the session's arena, and the plan's reuse of a region is safe:
 * an elementwise step writes over the input that dies there, and a Slice of an arena tensor is copied, since a view
 * would see the next value the plan puts in that region.
 */
class ArenaPlacementTest {
    /** As plan-memory annotates it: %n in place over %a at 0, %s at 64, %b reusing 0 once %n is dead. */
    private static final Graph GRAPH = IrParser.parse("""
            graph @main(%x: f32[2,8]) -> (%y: f32[2,8]) {
              opsets {"": 17}
              const %starts: i64[1] = dense<[0]>
              const %ends: i64[1] = dense<[1]>
              const %axes: i64[1] = dense<[0]>
              %a: f32[2,8] = Exp(%x) {kiln.arena_offsets = [0], kiln.arena_bytes = [64]} name "exp"
              %n: f32[2,8] = Neg(%a) {kiln.arena_offsets = [0], kiln.arena_bytes = [64]} name "neg"
              %s: f32[1,8] = Slice(%n, %starts, %ends, %axes) {kiln.arena_offsets = [64], kiln.arena_bytes = [32]} name "slice"
              %b: f32[2,8] = Tanh(%x) {kiln.arena_offsets = [0], kiln.arena_bytes = [64]} name "tanh"
              %y: f32[2,8] = Add(%b, %s) name "add"
            }
            """);

    @Test
    void intermediatesLiveAtTheirPlannedOffsetsAndReuseIsSafe() {
        Tensor x = PlanChecks.random(3, 2, 8);
        Map<String, RuntimeValue> inputs = Map.of("x", x);
        Tensor expected = (Tensor) Interpreter.run(GRAPH, inputs).get("y");
        CpuPlan plan = new CpuPlan(GRAPH, new CpuContext(1, null));
        ByteBuffer arena = ByteBuffer.allocateDirect(128).order(ByteOrder.LITTLE_ENDIAN);
        try (Frame frame = plan.newFrame(arena)) {
            for (int run = 0; run < 2; run++) {
                PlanChecks.assertClose("y", expected, (Tensor) plan.run(frame, inputs).get("y"));
                for (int i = 0; i < 16; i++) {
                    assertEquals(Math.tanh(x.getDouble(i)), arena.getFloat(4 * i), 1e-5, "%b (Tanh) at arena offset 0, element " + i);
                }
                for (int i = 0; i < 8; i++) {
                    assertEquals(-Math.exp(x.getDouble(i)), arena.getFloat(64 + 4 * i), 1e-5, "%s (Slice) at arena offset 64, element " + i);
                }
            }
        }
    }

    @Test
    void withoutAnArenaEveryStepKeepsItsOwnBuffers() {
        Tensor x = PlanChecks.random(4, 2, 8);
        Map<String, RuntimeValue> inputs = Map.of("x", x);
        CpuPlan plan = new CpuPlan(GRAPH, new CpuContext(1, null));
        try (Frame frame = plan.newFrame()) {
            PlanChecks.assertClose("y", (Tensor) Interpreter.run(GRAPH, inputs).get("y"), (Tensor) plan.run(frame, inputs).get("y"));
        }
    }
}
