package dev.kiln.backend.cpu.quant;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The com.microsoft QLinearAdd, QLinearConcat and QLinearGlobalAveragePool kernels against the reference
 * interpreter, exactly, at the smallest and the largest species; and the add kernel against its scalar twin on
 * every pair of bytes, ties of the rounding and both saturations included.
 */
class QLinearContribTest {
    @Test
    void addKernelMatchesItsScalarTwinOnEveryPairOfBytes() {
        QuantConstants.PerTensor a = new QuantConstants.PerTensor(0.5f, 3), b = new QuantConstants.PerTensor(0.25f, -2);
        for (boolean unsigned : new boolean[] {false, true}) {
            // c scale 0.25 makes many exact ties (x.5) and both saturations
            var p = new QLinearAddKernel.Params(a, b, new QuantConstants.PerTensor(0.25f, unsigned ? 128 : 0), unsigned);
            int n = 65536 + 7; // every (a, b) pair, plus a tail shorter than any vector
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sa = arena.allocate(n), sb = arena.allocate(n), sy = arena.allocate(n);
                for (int i = 0; i < n; i++) {
                    sa.set(ValueLayout.JAVA_BYTE, i, (byte) (i >> 8));
                    sb.set(ValueLayout.JAVA_BYTE, i, (byte) i);
                }
                // one kernel class per vector size: every size up to the machine's
                for (VectorSpecies<?> species : new VectorSpecies<?>[] {FloatVector.SPECIES_128, FloatVector.SPECIES_256, FloatVector.SPECIES_PREFERRED}) {
                    if (species.vectorBitSize() > FloatVector.SPECIES_PREFERRED.vectorBitSize()) continue;
                    @SuppressWarnings("unchecked")
                    QLinearAddKernel kernel = QLinearAddKernel.of((VectorSpecies<Float>) species);
                    kernel.run(sa, sb, sy, n, p);
                    for (int i = 0; i < n; i++) {
                        int want = QLinearAddKernel.scalar(sa.get(ValueLayout.JAVA_BYTE, i), sb.get(ValueLayout.JAVA_BYTE, i), p);
                        assertEquals((byte) want, sy.get(ValueLayout.JAVA_BYTE, i), species + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void qlinearAddMatchesTheInterpreter() {
        SplittableRandom r = new SplittableRandom(31);
        for (String t : new String[] {"i8", "u8"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%a: T[batch,6,5,7], %b: T[batch,6,5,7]) -> (%y: T[batch,6,5,7]) {
                      opsets {"": 13, "com.microsoft": 1}
                      const %as: f32[] = dense<[0.0371]>
                      const %az: T[] = dense<[AZ]>
                      const %bs: f32[] = dense<[0.0213]>
                      const %bz: T[] = dense<[BZ]>
                      const %ys: f32[] = dense<[0.0452]>
                      const %yz: T[] = dense<[YZ]>
                      %y: T[batch,6,5,7] = com.microsoft:QLinearAdd(%a, %as, %az, %b, %bs, %bz, %ys, %yz) name "add"
                    }
                    """.replace("T[", t + "[").replace("AZ", "" + zero(r, t)).replace("BZ", "" + zero(r, t)).replace("YZ", "" + zero(r, t)));
            check(graph, "int8 add", Map.of("a", bytes(r, t, 2, 6, 5, 7), "b", bytes(r, t, 2, 6, 5, 7)),
                    Map.of("a", bytes(r, t, 1, 6, 5, 7), "b", bytes(r, t, 1, 6, 5, 7)));
        }
    }

    @Test
    void qlinearConcatCopiesOrRequantizesEachInput() {
        SplittableRandom r = new SplittableRandom(32);
        for (String t : new String[] {"i8", "u8"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%a: T[2,3,4,5], %b: T[2,2,4,5], %c: T[2,1,4,5]) -> (%y: T[2,6,4,5]) {
                      opsets {"": 13, "com.microsoft": 1}
                      const %ys: f32[] = dense<[0.05]>
                      const %yz: T[] = dense<[YZ]>
                      const %bs: f32[] = dense<[0.0173]>
                      const %bz: T[] = dense<[BZ]>
                      const %cs: f32[] = dense<[0.2]>
                      %y: T[2,6,4,5] = com.microsoft:QLinearConcat(%ys, %yz, %a, %ys, %yz, %b, %bs, %bz, %c, %cs, %yz) {axis = 1} name "concat"
                    }
                    """.replace("T[", t + "[").replace("YZ", "" + zero(r, t)).replace("BZ", "" + zero(r, t)));
            check(graph, "int8 concat", Map.of("a", bytes(r, t, 2, 3, 4, 5), "b", bytes(r, t, 2, 2, 4, 5), "c", bytes(r, t, 2, 1, 4, 5)));
        }
    }

    @Test
    void qlinearGlobalAveragePoolMatchesTheInterpreter() {
        SplittableRandom r = new SplittableRandom(33);
        for (String t : new String[] {"i8", "u8"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: T[batch,9,?,?]) -> (%y: T[batch,9,1,1]) {
                      opsets {"": 13, "com.microsoft": 1}
                      const %xs: f32[] = dense<[0.0317]>
                      const %xz: T[] = dense<[XZ]>
                      const %ys: f32[] = dense<[0.0071]>
                      const %yz: T[] = dense<[YZ]>
                      %y: T[batch,9,1,1] = com.microsoft:QLinearGlobalAveragePool(%x, %xs, %xz, %ys, %yz) name "gap"
                    }
                    """.replace("T[", t + "[").replace("XZ", "" + zero(r, t)).replace("YZ", "" + zero(r, t)));
            check(graph, "int8 global average pool", Map.of("x", bytes(r, t, 2, 9, 7, 7)), Map.of("x", bytes(r, t, 1, 9, 4, 3)));
        }
    }

    @SafeVarargs
    private static void check(Graph graph, String kind, Map<String, RuntimeValue>... runs) {
        InterpreterCheck.check(graph, kind, new int[] {1}, runs);
    }

    private static int zero(SplittableRandom r, String type) { return InterpreterCheck.zero(r, type); }

    private static Tensor bytes(SplittableRandom r, String type, long... shape) { return InterpreterCheck.image(r, type, shape); }
}
