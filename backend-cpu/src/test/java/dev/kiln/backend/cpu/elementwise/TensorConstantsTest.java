package dev.kiln.backend.cpu.elementwise;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.plan.PlanChecks.matchesInterpreter;
import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static dev.kiln.backend.cpu.plan.PlanChecks.values;

/** A fused body with per-feature constants (a normalization) runs generated, the constants broadcast as inputs. */
class TensorConstantsTest {
    @Test
    void aStandardizationBodyWithVectorConstantsMatchesTheInterpreter() {
        for (int features : new int[] {4, 37}) {
            Graph graph = IrParser.parse("""
                    graph @main(%x: f32[batch,NF]) -> (%y: f32[batch,NF]) {
                      opsets {"": 14, "kiln": 1}
                      %y: f32[batch,NF] = kiln:FusedElementwise(%x) {
                        body = graph @body(%in: f32[batch,NF]) -> (%out: f32[batch,NF]) {
                          const %mean: f32[NF] = dense<[MEANS]>
                          const %std: f32[NF] = dense<[SCALES]>
                          const %half: f32[] = dense<[0.5]>
                          %c: f32[batch,NF] = Sub(%in, %mean) name "sub"
                          %d: f32[batch,NF] = Div(%c, %std) name "div"
                          %out: f32[batch,NF] = Mul(%d, %half) name "mul"
                        }
                      } name "norm"
                    }
                    """.replace("NF", Integer.toString(features)).replace("MEANS", values(features, 1))
                    .replace("SCALES", values(features, 2).replace("-", "")));
            matchesInterpreter(graph, 1, "norm", "generated elementwise",
                    Map.of("x", random(3, 1, features)), Map.of("x", random(4, 5, features)));
        }
    }
}
