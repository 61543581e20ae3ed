package dev.kiln.backend.cpu.slicing;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.ir.Graph;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.backend.cpu.plan.StepMemory;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.products.ReferenceCheck.check;
import static dev.kiln.backend.cpu.products.ReferenceCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Slice by constant bounds on the CPU backend against the interpreter: views, bulk runs, strided and reversed copies. */
class SliceFamilyTest {
    private static Graph slice(String starts, String ends, String axes, String steps, int k) {
        return IrParser.parse("""
                graph @main(%x: f32[?,?,?]) -> (%y: f32[?,?,?]) {
                  opsets {"": 17}
                  const %s: i64[K] = dense<[S]>
                  const %e: i64[K] = dense<[E]>
                  const %a: i64[K] = dense<[A]>
                  const %t: i64[K] = dense<[T]>
                  %y: f32[?,?,?] = Slice(%x, %s, %e, %a, %t) name "slice"
                }
                """.replace("K", Integer.toString(k)).replace("[S]", "[" + starts + "]").replace("[E]", "[" + ends + "]")
                .replace("[A]", "[" + axes + "]").replace("[T]", "[" + steps + "]"));
    }

    @Test
    void slicesMatchTheInterpreter() {
        String[][] cases = {
            {"1", "3", "0", "1"},                 // outer range: a view
            {"2", "3", "1", "1"},                 // one row of the middle axis
            {"32", "64", "-1", "1"},              // the transformer's q/k/v split: bulk runs
            {"0, 1", "-1, 100", "1, 2", "1, 1"},  // two axes
            {"0", "1000", "2", "2"},              // every other element
            {"-1, -2", "-1000, 0", "1, 2", "-1, -3"}, // reversed with steps
            {"5", "2", "0", "1"},                 // empty
            {"0", "1000", "1", "1"},              // everything: a view of the whole input
        };
        for (String[] c : cases) {
            check(slice(c[0], c[1], c[2], c[3], c[0].split(",").length), "slice",
                    Map.of("x", random(1, 4, 6, 96)), Map.of("x", random(2, 1, 3, 7)), Map.of("x", random(3, 5, 6, 96)));
        }
    }

    @Test
    void aContiguousRangeSharesTheInputsStorage() {
        Graph graph = slice("1", "3", "0", "1", 1);
        CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null));
        Step step = plan.steps().getFirst();
        try (Frame frame = plan.newFrame()) {
            // Slots: the input first, then the four constants, then the output.
            Tensor x = random(4, 4, 2, 3);
            frame.set(0, x);
            step.run(frame, step.newState(StepMemory.own()));
            Tensor y = (Tensor) frame.get(5);
            assertEquals(2 * 2 * 3, y.size());
            x.setDouble(6, 42);
            assertEquals(42, y.getDouble(0));
        }
    }

    @Test
    void computedBoundsStayGeneric() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[4,5], %s: i64[1]) -> (%y: f32[?,5]) {
                  opsets {"": 17}
                  const %e: i64[1] = dense<[3]>
                  %y: f32[?,5] = Slice(%x, %s, %e) name "slice"
                }
                """);
        assertTrue(new CpuPlan(graph, new CpuContext(1, null)).steps().getFirst().describe().contains("generic"));
    }
}
