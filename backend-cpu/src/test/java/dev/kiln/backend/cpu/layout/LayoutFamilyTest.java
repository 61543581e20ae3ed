package dev.kiln.backend.cpu.layout;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.plan.PlanChecks.matchesInterpreter;
import static dev.kiln.backend.cpu.plan.PlanChecks.random;

/** Transpose and Gather as copies, against the reference interpreter. */
class LayoutFamilyTest {
    @Test
    void transposesKeepingOrMovingTheLastAxisMatchTheInterpreter() {
        for (String perm : new String[] {"[1, 0, 2]", "[2, 0, 1]", "[0, 2, 1]"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[a,b,c]) -> (%y: f32[?,?,?]) {
                      opsets {"": 14}
                      %y: f32[?,?,?] = Transpose(%x) {perm = PERM} name "t"
                    }
                    """.replace("PERM", perm));
            matchesInterpreter(graph, 1, "t", "strided copy", Map.of("x", random(1, 3, 4, 5)), Map.of("x", random(2, 2, 1, 7)));
        }
    }

    @Test
    void aRank4TransposeToChannelsLast() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[2,3,4,5]) -> (%y: f32[2,4,5,3]) {
                  opsets {"": 14}
                  %y: f32[2,4,5,3] = Transpose(%x) {perm = [0, 2, 3, 1]} name "t"
                }
                """);
        matchesInterpreter(graph, 1, "t", "strided copy", Map.of("x", random(3, 2, 3, 4, 5)));
    }

    @Test
    void gathersByConstantIndicesIncludingNegativeOnesAndAMatrixOfThem() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[batch,6,5]) -> (%last: f32[batch,5], %picked: f32[batch,2,2,5], %rows: f32[2,6,5]) {
                  opsets {"": 14}
                  const %minus1: i64[] = dense<[-1]>
                  const %pairs: i64[2,2] = dense<[0, -2, 3, 3]>
                  const %two: i32[2] = dense<[1, 0]>
                  %last: f32[batch,5] = Gather(%x, %minus1) {axis = 1} name "g1"
                  %picked: f32[batch,2,2,5] = Gather(%x, %pairs) {axis = -2} name "g2"
                  %rows: f32[2,6,5] = Gather(%x, %two) name "g3"
                }
                """);
        matchesInterpreter(graph, 1, "g", "gather", Map.of("x", random(4, 2, 6, 5)), Map.of("x", random(5, 3, 6, 5)));
    }
}
