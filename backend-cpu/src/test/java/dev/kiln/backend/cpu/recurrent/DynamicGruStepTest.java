package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static dev.kiln.backend.cpu.plan.PlanChecks.values;
import static dev.kiln.backend.cpu.recurrent.DynamicRecurrentChecks.ints;
import static dev.kiln.backend.cpu.recurrent.DynamicRecurrentChecks.scales;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU DynamicQuantizeGRU (int8 input GEMM per direction, int32 recurrent product, fused gates) against the reference kernel. */
class DynamicGruStepTest {
    // hidden 19: 57-wide gate rows cover whole vectors and scalar tails at 128 and 512 bits
    private static final int INPUT = 7, HIDDEN = 19, N = 3 * HIDDEN;

    private static Graph gru(String direction, int dirs, int linearBeforeReset) {
        return IrParser.parse("""
                graph @main(%x: f32[seq,batch,7], %h0: f32[@D@,batch,19]) -> (%y: f32[seq,@D@,batch,19], %yh: f32[@D@,batch,19]) {
                  opsets {"": 14, "kiln": 1}
                  const %w: i8[@D@,7,57] = dense<[@W@]>
                  const %r: i8[@D@,19,57] = dense<[@R@]>
                  const %b: f32[@D@,114] = dense<[@B@]>
                  const %ws: f32[@D@,57] = dense<[@WS@]>
                  const %wz: i8[@D@,57] = dense<[@WZ@]>
                  const %rs: f32[@D@] = dense<[@RS@]>
                  const %rz: i8[@D@] = dense<[@RZ@]>
                  %y: f32[seq,@D@,batch,19], %yh: f32[@D@,batch,19] = kiln:DynamicQuantizeGRU(%x, %w, %r, %b, _, %h0, %ws, %wz, %rs, %rz) {hidden_size = 19, direction = "@DIR@", linear_before_reset = @LBR@} name "gru"
                }
                """.replace("@WS@", scales(dirs * N, 4)).replace("@WZ@", ints(dirs * N, 5, -3, 3)).replace("@RS@", scales(dirs, 6))
                .replace("@RZ@", ints(dirs, 7, -3, 3)).replace("@W@", ints(dirs * INPUT * N, 1, -127, 127))
                .replace("@R@", ints(dirs * HIDDEN * N, 2, -127, 127)).replace("@B@", values(dirs * 2 * N, 3))
                .replace("@DIR@", direction).replace("@LBR@", String.valueOf(linearBeforeReset)).replace("@D@", String.valueOf(dirs)));
    }

    @Test
    void aBidirectionalGruWithInitialStatesMatchesTheInterpreterAtBothSpecies() {
        DynamicRecurrentChecks.check(gru("bidirectional", 2, 1), "DynamicQuantizeGRU, 2 direction(s)",
                Map.of("x", random(4, 5, 2, INPUT), "h0", random(5, 2, 2, HIDDEN)),
                Map.of("x", random(7, 9, 1, INPUT), "h0", random(8, 2, 1, HIDDEN)));
    }

    @Test
    void aReverseGruMatchesTheInterpreter() {
        DynamicRecurrentChecks.check(gru("reverse", 1, 1), "DynamicQuantizeGRU, 1 direction(s)",
                Map.of("x", random(9, 4, 3, INPUT), "h0", random(10, 1, 3, HIDDEN)));
    }

    @Test
    void withoutLinearBeforeResetTheGruStaysWithTheReferenceKernel() {
        CpuPlan plan = new CpuPlan(gru("forward", 1, 0), new CpuContext(1, null));
        assertTrue(plan.steps().stream().noneMatch(s -> s.describe().contains("DynamicQuantizeGRU,")), plan.steps().toString());
    }
}
