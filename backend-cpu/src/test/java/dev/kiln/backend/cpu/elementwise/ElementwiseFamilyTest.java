package dev.kiln.backend.cpu.elementwise;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated elementwise kernels against the reference interpreter, across broadcast patterns and vector tails. */
class ElementwiseFamilyTest {
    @TempDir
    Path dump;

    private static final String FUSED = """
            graph @main(%x: f32[batch,3,4,5], %c: f32[3,1,1], %r: f32[5]) -> (%y: f32[batch,3,4,5]) {
              opsets {"": 17, "kiln": 1}
              %y: f32[batch,3,4,5] = kiln:FusedElementwise(%x, %c, %r) {
                body = graph @b(%i0: f32[batch,3,4,5], %i1: f32[3,1,1], %i2: f32[5]) -> (%o: f32[batch,3,4,5]) {
                  const %two: f32[] = dense<[2.0]>
                  %m: f32[batch,3,4,5] = Mul(%i0, %two) name "mul"
                  %a: f32[batch,3,4,5] = Add(%m, %i1) name "add"
                  %s: f32[batch,3,4,5] = Sub(%a, %i2) name "sub"
                  %l: f32[batch,3,4,5] = LeakyRelu(%s) {alpha = 0.1} name "leaky"
                  %t: f32[batch,3,4,5] = Tanh(%l) name "tanh"
                  %o: f32[batch,3,4,5] = Sigmoid(%t) name "sig"
                }
              } name "fused"
            }
            """;

    @Test
    void aFusedChainWithChannelAndRowBroadcastMatchesTheInterpreterAtEveryBatch() throws IOException {
        Graph graph = IrParser.parse(FUSED);
        CpuPlan plan = new CpuPlan(graph, new CpuContext(1, dump));
        assertTrue(plan.steps().getFirst().describe().contains("generated elementwise kernel"), plan.steps().getFirst().describe());
        try (var files = Files.list(dump)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".java")).count());
        }
        Frame frame = plan.newFrame();
        for (int batch : new int[] {1, 3, 1}) {
            Map<String, RuntimeValue> inputs = Map.of("x", random(1, batch, 3, 4, 5), "c", random(2, 3, 1, 1), "r", random(3, 5));
            assertClose(Interpreter.run(graph, inputs).get("y"), plan.run(frame, inputs).get("y"));
        }
    }

    @Test
    void theGeneratedKernelMatchesTheInterpreterAtTheSmallestAndTheLargestSpecies() throws IOException {
        Graph graph = IrParser.parse(FUSED);
        for (VectorSpecies<Float> species : List.of(FloatVector.SPECIES_64, FloatVector.SPECIES_128, FloatVector.SPECIES_MAX)) {
            Path dir = Files.createDirectories(dump.resolve("s" + species.vectorBitSize()));
            CpuPlan plan = new CpuPlan(graph, new CpuContext(1, dir, species));
            try (var files = Files.list(dir)) {
                String source = Files.readString(files.filter(f -> f.toString().endsWith(".java")).findFirst().orElseThrow());
                String named = species == FloatVector.SPECIES_PREFERRED ? "SPECIES_PREFERRED" : "SPECIES_" + species.vectorBitSize();
                assertTrue(source.contains("S = FloatVector." + named + ";"), source);
            }
            // 5 floats a row: at 64 bits two full vectors and a tail of one; at 512 the scalar tail alone.
            Map<String, RuntimeValue> inputs = Map.of("x", random(7, 2, 3, 4, 5), "c", random(8, 3, 1, 1), "r", random(9, 5));
            assertClose(Interpreter.run(graph, inputs).get("y"), plan.run(plan.newFrame(), inputs).get("y"));
        }
    }

    @Test
    void loneOpsWithTailsAndScalarsRunGenerated() {
        for (String op : new String[] {"Add", "Mul", "Div", "Max", "Min", "Sub"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%a: f32[37], %b: f32[]) -> (%y: f32[37]) {
                      opsets {"": 17}
                      %y: f32[37] = OP(%a, %b) name "n"
                    }
                    """.replace("OP", op));
            CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null));
            assertTrue(plan.steps().getFirst().describe().contains("generated"), op);
            Map<String, RuntimeValue> inputs = Map.of("a", random(4, 37), "b", random(5));
            assertClose(Interpreter.run(graph, inputs).get("y"), plan.run(plan.newFrame(), inputs).get("y"));
        }
    }

    /** A transformer's bias and exact Gelu, fused: the vector math library in the loop, its scalar twin in the tail. */
    @Test
    void aBiasThenGeluOrErfRunsGeneratedAtEverySpecies() {
        for (String act : new String[] {"kiln:Gelu(%a) {approximate = \"none\"}", "Erf(%a)"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[batch,8,37], %b: f32[37]) -> (%y: f32[batch,8,37]) {
                      opsets {"": 17, "kiln": 1}
                      %y: f32[batch,8,37] = kiln:FusedElementwise(%b, %x) {
                        body = graph @g(%i0: f32[37], %i1: f32[batch,8,37]) -> (%o: f32[batch,8,37]) {
                          %a: f32[batch,8,37] = Add(%i0, %i1) name "bias"
                          %o: f32[batch,8,37] = ACT name "act"
                        }
                      } name "fused"
                    }
                    """.replace("ACT", act));
            for (VectorSpecies<Float> species : List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED)) {
                CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null, species));
                assertTrue(plan.steps().getFirst().describe().contains("generated"), act);
                Map<String, RuntimeValue> inputs = Map.of("x", random(11, 2, 8, 37), "b", random(12, 37));
                assertClose(Interpreter.run(graph, inputs).get("y"), plan.run(plan.newFrame(), inputs).get("y"));
            }
        }
    }

    @Test
    void anOpTheGeneratorLacksRunsGeneric() {
        Graph graph = IrParser.parse("""
                graph @main(%a: f32[4]) -> (%y: f32[4]) {
                  opsets {"": 17}
                  %y: f32[4] = Sin(%a) name "n"
                }
                """);
        assertTrue(new CpuPlan(graph, new CpuContext(1, null)).steps().getFirst().describe().contains("generic"));
    }

    private static Tensor random(long seed, long... shape) {
        Tensor t = Tensor.zeros(dev.kiln.ir.DType.F32, shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextDouble(-3, 3));
        return t;
    }

    private static void assertClose(RuntimeValue expected, RuntimeValue actual) {
        Tensor e = (Tensor) expected;
        Tensor a = (Tensor) actual;
        assertEquals(java.util.Arrays.toString(e.shape()), java.util.Arrays.toString(a.shape()));
        for (int i = 0; i < e.size(); i++) assertEquals(e.getDouble(i), a.getDouble(i), 1e-6 + 1e-5 * Math.abs(e.getDouble(i)), "element " + i);
    }
}
