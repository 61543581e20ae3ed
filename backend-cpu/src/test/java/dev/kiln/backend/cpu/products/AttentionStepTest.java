package dev.kiln.backend.cpu.products;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.backend.cpu.products.ReferenceCheck.check;
import static dev.kiln.backend.cpu.products.ReferenceCheck.random;

/** kiln:Attention on the CPU backend against the interpreter: masks of every broadcast form, heads with tails. */
class AttentionStepTest {
    private static Graph attention(String mask) {
        return IrParser.parse("""
                graph @main(%q: f32[?,?,?,?], %kt: f32[?,?,?,?], %v: f32[?,?,?,?]MASKIN) -> (%y: f32[?,?,?,?]) {
                  opsets {"": 17, "kiln": 1}
                  %y: f32[?,?,?,?] = kiln:Attention(%q, %kt, %vMASKARG) {scale = 0.35} name "attn"
                }
                """.replace("MASKIN", mask == null ? "" : ", %m: f32" + mask).replace("MASKARG", mask == null ? "" : ", %m"));
    }

    @Test
    void unmaskedHeadsWithTailsAndBroadcastBatches() {
        check(attention(null), "attention rows",
                Map.of("q", random(1, 2, 3, 5, 13), "kt", random(2, 2, 3, 13, 37), "v", random(3, 2, 3, 37, 19)),
                Map.of("q", random(4, 1, 4, 8, 8), "kt", random(5, 1, 1, 8, 8), "v", random(6, 1, 4, 8, 8)),
                Map.of("q", random(10, 1, 2, 3, 5), "kt", random(11, 1, 2, 5, 3), "v", random(12, 1, 2, 3, 2)),
                Map.of("q", random(7, 2, 8, 64, 16), "kt", random(8, 2, 8, 16, 70), "v", random(9, 1, 8, 70, 67)));
    }

    @Test
    void masksOfEachBroadcastForm() {
        Map<String, long[]> masks = Map.of(
                "[?,?]", new long[] {5, 37},
                "[?,?,?,?]", new long[] {2, 1, 1, 37},
                "[?]", new long[] {37},
                "[]", new long[] {},
                "[?, ?, ?]", new long[] {3, 5, 1});
        masks.forEach((type, shape) -> check(attention(type), "attention rows",
                Map.of("q", random(1, 2, 3, 5, 13), "kt", random(2, 2, 3, 13, 37), "v", random(3, 2, 3, 37, 19), "m", random(4, shape))));
    }

    @Test
    void aMaskThatWidensTheScoresRunsTheReferenceKernel() {
        check(attention("[?,?]"), "attention rows",
                Map.of("q", random(1, 1, 2, 1, 8), "kt", random(2, 1, 2, 8, 6), "v", random(3, 1, 2, 6, 4), "m", random(4, 3, 6)));
    }
}
