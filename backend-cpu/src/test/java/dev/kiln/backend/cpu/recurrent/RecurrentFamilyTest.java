package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.plan.PlanChecks.matchesInterpreter;
import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static dev.kiln.backend.cpu.plan.PlanChecks.values;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU LSTM (input GEMM, recurrent product, fused gates) against the reference interpreter. */
class RecurrentFamilyTest {
    // hidden 19: gate rows of 76 floats cover the 4-vector block, single vectors and the scalar tails at 512 bits.
    private static final int INPUT = 7, HIDDEN = 19;

    @Test
    void anLstmWithBiasAndInitialStatesMatchesTheInterpreterAcrossBatchAndSequenceLengths() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[seq,batch,7], %h0: f32[1,batch,19], %c0: f32[1,batch,19])
                    -> (%y: f32[seq,1,batch,19], %yh: f32[1,batch,19], %yc: f32[1,batch,19]) {
                  opsets {"": 14}
                  const %w: f32[1,76,7] = dense<[W]>
                  const %r: f32[1,76,19] = dense<[R]>
                  const %b: f32[1,152] = dense<[B]>
                  %y: f32[seq,1,batch,19], %yh: f32[1,batch,19], %yc: f32[1,batch,19] = LSTM(%x, %w, %r, %b, _, %h0, %c0) {hidden_size = 19} name "lstm"
                }
                """.replace("W", values(4 * HIDDEN * INPUT, 1)).replace("R", values(4 * HIDDEN * HIDDEN, 2)).replace("B", values(8 * HIDDEN, 3)));
        matchesInterpreter(graph, 1, "lstm", "LSTM, input GEMM",
                Map.of("x", random(4, 5, 2, INPUT), "h0", random(5, 1, 2, HIDDEN), "c0", random(6, 1, 2, HIDDEN)),
                Map.of("x", random(7, 9, 1, INPUT), "h0", random(8, 1, 1, HIDDEN), "c0", random(9, 1, 1, HIDDEN)));
    }

    @Test
    void withoutBiasOrInitialStatesTheStatesStartAtZero() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[3,2,7]) -> (%yh: f32[1,2,19]) {
                  opsets {"": 14}
                  const %w: f32[1,76,7] = dense<[W]>
                  const %r: f32[1,76,19] = dense<[R]>
                  _, %yh: f32[1,2,19] = LSTM(%x, %w, %r) {hidden_size = 19} name "lstm"
                }
                """.replace("W", values(4 * HIDDEN * INPUT, 11)).replace("R", values(4 * HIDDEN * HIDDEN, 12)));
        matchesInterpreter(graph, 2, "lstm", "LSTM, input GEMM", Map.of("x", random(13, 3, 2, INPUT)));
    }

    @Test
    void aBidirectionalLstmStaysWithTheGenericKernel() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[3,1,7]) -> (%y: f32[3,2,1,19]) {
                  opsets {"": 14}
                  const %w: f32[2,76,7] = dense<[W]>
                  const %r: f32[2,76,19] = dense<[R]>
                  %y: f32[3,2,1,19] = LSTM(%x, %w, %r) {hidden_size = 19, direction = "bidirectional"} name "lstm"
                }
                """.replace("W", values(8 * HIDDEN * INPUT, 21)).replace("R", values(8 * HIDDEN * HIDDEN, 22)));
        assertTrue(new CpuPlan(graph, new CpuContext(1, null)).steps().getFirst().describe().contains("generic"));
    }
}
