package dev.kiln.backend.cpu.rows;

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

/** Softmax, layer normalization and library math on the CPU backend against the reference interpreter. */
class RowKernelFamilyTest {
    @Test
    void softmaxLayerNormAndGeluMatchTheInterpreter() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[batch,5,37]) -> (%s: f32[batch,5,37], %l: f32[batch,5,37], %g: f32[batch,5,37], %ls: f32[batch,5,37]) {
                  opsets {"": 20}
                  const %scale: f32[37] = dense<[SCALE]>
                  const %bias: f32[37] = dense<[BIAS]>
                  %s: f32[batch,5,37] = Softmax(%x) name "softmax"
                  %ls: f32[batch,5,37] = LogSoftmax(%x) {axis = 2} name "logsoftmax"
                  %l: f32[batch,5,37] = LayerNormalization(%x, %scale, %bias) {epsilon = 0.001} name "norm"
                  %g: f32[batch,5,37] = Gelu(%x) name "gelu"
                }
                """.replace("SCALE", values(37, 1)).replace("BIAS", values(37, 2)));
        CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null));
        for (var step : plan.steps()) assertTrue(step.describe().contains("vector"), step.describe());
        Frame frame = plan.newFrame();
        for (int batch : new int[] {2, 1}) {
            Map<String, RuntimeValue> inputs = Map.of("x", random(batch, 5, 37));
            Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
            Map<String, RuntimeValue> actual = plan.run(frame, inputs);
            for (String name : new String[] {"s", "ls", "l", "g"}) assertClose(name, (Tensor) expected.get(name), (Tensor) actual.get(name));
        }
    }

    @Test
    void softmaxOverAnInnerAxisStaysGeneric() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[4,6]) -> (%s: f32[4,6]) {
                  opsets {"": 13}
                  %s: f32[4,6] = Softmax(%x) {axis = 0} name "softmax"
                }
                """);
        assertTrue(new CpuPlan(graph, new CpuContext(1, null)).steps().getFirst().describe().contains("generic"));
    }

    private static String values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append((float) r.nextDouble(-2, 2));
        return s.toString();
    }

    private static Tensor random(long... shape) {
        Tensor t = Tensor.zeros(DType.F32, shape);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextDouble(-4, 4));
        return t;
    }

    private static void assertClose(String name, Tensor e, Tensor a) {
        assertEquals(Arrays.toString(e.shape()), Arrays.toString(a.shape()), name);
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.getDouble(i), a.getDouble(i), 1e-6 + 1e-5 * Math.abs(e.getDouble(i)), name + " element " + i);
        }
    }
}
