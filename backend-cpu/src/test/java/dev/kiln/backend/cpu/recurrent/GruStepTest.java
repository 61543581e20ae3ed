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

/** The CPU float GRU (input projection, recurrent product, fused gates) against the reference interpreter. */
class GruStepTest {
    // hidden 19: gate rows cover the vector loops and the scalar tails of GruCell at every species.
    private static final int INPUT = 7, HIDDEN = 19;

    @Test
    void aBidirectionalGruWithBiasAndInitialStateMatchesTheInterpreterAcrossBatchAndSequenceLengths() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[seq,batch,7], %h0: f32[2,batch,19]) -> (%y: f32[seq,2,batch,19], %yh: f32[2,batch,19]) {
                  opsets {"": 14}
                  const %w: f32[2,57,7] = dense<[@W@]>
                  const %r: f32[2,57,19] = dense<[@R@]>
                  const %b: f32[2,114] = dense<[@B@]>
                  %y: f32[seq,2,batch,19], %yh: f32[2,batch,19] = GRU(%x, %w, %r, %b, _, %h0) {hidden_size = 19, direction = "bidirectional", linear_before_reset = 1} name "gru"
                }
                """.replace("@W@", values(6 * HIDDEN * INPUT, 1)).replace("@R@", values(6 * HIDDEN * HIDDEN, 2)).replace("@B@", values(12 * HIDDEN, 3)));
        matchesInterpreter(graph, 1, "gru", "GRU, 2 direction(s)",
                Map.of("x", random(4, 5, 2, INPUT), "h0", random(5, 2, 2, HIDDEN)),
                Map.of("x", random(7, 9, 1, INPUT), "h0", random(8, 2, 1, HIDDEN)));
    }

    @Test
    void aReverseGruWithoutBiasOrInitialStateStartsAtZero() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[3,2,7]) -> (%yh: f32[1,2,19]) {
                  opsets {"": 14}
                  const %w: f32[1,57,7] = dense<[@W@]>
                  const %r: f32[1,57,19] = dense<[@R@]>
                  _, %yh: f32[1,2,19] = GRU(%x, %w, %r) {hidden_size = 19, direction = "reverse", linear_before_reset = 1} name "gru"
                }
                """.replace("@W@", values(3 * HIDDEN * INPUT, 11)).replace("@R@", values(3 * HIDDEN * HIDDEN, 12)));
        matchesInterpreter(graph, 2, "gru", "GRU, 1 direction(s)", Map.of("x", random(13, 3, 2, INPUT)));
    }

    @Test
    void withoutLinearBeforeResetTheGruStaysWithTheGenericKernel() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[3,1,7]) -> (%y: f32[3,1,1,19]) {
                  opsets {"": 14}
                  const %w: f32[1,57,7] = dense<[@W@]>
                  const %r: f32[1,57,19] = dense<[@R@]>
                  %y: f32[3,1,1,19] = GRU(%x, %w, %r) {hidden_size = 19} name "gru"
                }
                """.replace("@W@", values(3 * HIDDEN * INPUT, 21)).replace("@R@", values(3 * HIDDEN * HIDDEN, 22)));
        assertTrue(new CpuPlan(graph, new CpuContext(1, null)).steps().getFirst().describe().contains("generic"));
    }
}
