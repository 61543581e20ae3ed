package dev.kiln.backend.cpu.linear;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.plan.PlanChecks.matchesInterpreter;
import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static dev.kiln.backend.cpu.plan.PlanChecks.values;

/** Tanh and Sigmoid fused into the GEMM's epilogue (the MLP's hidden layer) against the interpreter. */
class CurveEpilogueTest {
    @Test
    void gemmsWithTanhAndSigmoidEpiloguesMatchTheInterpreter() {
        for (String activation : new String[] {"Tanh", "Sigmoid"}) {
            Graph graph = IrParser.parse("""
                    graph @main(%a: f32[batch,32]) -> (%y: f32[batch,35]) {
                      opsets {"": 17, "kiln": 1}
                      const %w: f32[35,32] = dense<[W]>
                      const %c: f32[35] = dense<[C]>
                      %y: f32[batch,35] = kiln:FusedGemm(%a, %w, %c) {transB = 1, activation = "ACT"} name "gemm"
                    }
                    """.replace("ACT", activation).replace("W", values(35 * 32, 7)).replace("C", values(35, 9)));
            matchesInterpreter(graph, 1, "gemm", "packed GEMM", Map.of("a", random(10, 1, 32)), Map.of("a", random(11, 7, 32)));
        }
    }
}
