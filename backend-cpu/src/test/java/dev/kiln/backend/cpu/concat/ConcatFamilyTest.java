package dev.kiln.backend.cpu.concat;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concat on the CPU backend against the reference interpreter along the first, a middle and the last axis. */
class ConcatFamilyTest {
    @Test
    void concatAlongEveryKindOfAxisMatchesTheInterpreter() {
        Graph graph = IrParser.parse("""
                graph @main(%a: f32[2,3,4,5], %b: f32[2,1,4,5], %c: f32[2,2,4,5]) -> (%ch: f32[2,6,4,5], %first: f32[4,3,4,5], %last: f32[2,3,4,10]) {
                  opsets {"": 13}
                  %ch: f32[2,6,4,5] = Concat(%a, %b, %c) {axis = 1} name "channels"
                  %first: f32[4,3,4,5] = Concat(%a, %a) {axis = 0} name "first"
                  %last: f32[2,3,4,10] = Concat(%a, %a) {axis = -1} name "last"
                }
                """);
        CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null));
        for (var step : plan.steps()) assertTrue(step.describe().contains("concat by bulk copies"), step.describe());
        Map<String, RuntimeValue> inputs = Map.of("a", random(1, 2, 3, 4, 5), "b", random(2, 2, 1, 4, 5), "c", random(3, 2, 2, 4, 5));
        Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
        try (Frame frame = plan.newFrame()) {
            for (int run = 0; run < 2; run++) {
                Map<String, RuntimeValue> actual = plan.run(frame, inputs);
                for (var e : expected.entrySet()) {
                    Tensor want = (Tensor) e.getValue(), got = (Tensor) actual.get(e.getKey());
                    assertArrayEquals(want.shape(), got.shape(), e.getKey());
                    for (int i = 0; i < want.size(); i++) assertEquals(want.getDouble(i), got.getDouble(i), e.getKey() + " element " + i);
                }
            }
            Map<String, RuntimeValue> bad = Map.of("a", random(1, 2, 3, 4, 5), "b", random(2, 2, 1, 4, 6), "c", random(3, 2, 2, 4, 5));
            assertThrows(KilnException.class, () -> plan.run(frame, bad));
        }
    }

    private static Tensor random(long seed, long... shape) {
        Tensor t = Tensor.zeros(DType.F32, shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextDouble(-1, 1));
        return t;
    }
}
