package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.render.ScalarMath;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

/** Elementwise kernels (every unary op, broadcasting, Clip, fused bodies) against the reference interpreter. */
class ElementwiseKernelTest {
    /** Ops whose domain excludes part of [-2, 2): fed |x| + 1.01 instead, which every one of them accepts. */
    private static final Set<String> POSITIVE = Set.of("Acosh", "Log", "Sqrt");
    /** Ops defined on (-1, 1) only: fed x / 2.5. */
    private static final Set<String> UNIT = Set.of("Acos", "Asin", "Atanh");

    @Test
    void everyUnaryOpMatchesTheReference() {
        StringBuilder nodes = new StringBuilder();
        StringBuilder outputs = new StringBuilder();
        for (String op : new TreeSet<>(ScalarMath.UNARY)) {
            String in = POSITIVE.contains(op) ? "%pos" : UNIT.contains(op) ? "%unit" : "%x";
            nodes.append("  %").append(op).append(": f32[*] = ").append(op).append("(").append(in).append(")")
                    .append(" name \"").append(op).append("\"\n");
            outputs.append(outputs.isEmpty() ? "" : ", ").append("%").append(op).append(": f32[*]");
        }
        Oracle.agree("graph @g(%x: f32[3,7]) -> (" + outputs + ") {\n  opsets {\"\": 20}\n"
                + "  const %one: f32[] = dense<[1.01]>\n  const %scale: f32[] = dense<[2.5]>\n"
                + "  %abs: f32[3,7] = Abs(%x) name \"abs\"\n  %pos: f32[3,7] = Add(%abs, %one) name \"pos\"\n"
                + "  %unit: f32[3,7] = Div(%x, %scale) name \"unit\"\n" + nodes + "}\n");
    }

    @Test
    void binaryOpsBroadcast() {
        for (String op : new String[] {"Add", "Sub", "Mul", "Div", "Max", "Min", "PRelu"}) {
            Oracle.agree("graph @g(%a: f32[2,3,4], %b: f32[3,1]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
                    + "  %y: f32[*] = " + op + "(%a, %b) name \"n\"\n}\n");
        }
        // Pow of a positive base: a scalar base raised to every exponent of a [2,3] tensor.
        Oracle.agree("graph @g(%e: f32[2,3]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n  const %base: f32[] = dense<[1.7]>\n"
                + "  %y: f32[*] = Pow(%base, %e) name \"n\"\n}\n");
        Oracle.agree("graph @g(%a: f32[2,1,4], %b: f32[3,1], %c: f32[4]) -> (%y: f32[*], %z: f32[*]) {\n  opsets {\"\": 17}\n"
                + "  %y: f32[*] = Sum(%a, %b, %c) name \"s\"\n  %z: f32[*] = Mean(%a, %b, %c) name \"m\"\n}\n");
    }

    @Test
    void preOpset7BroadcastingAlignsFromTheAxisAndPerChannel() {
        Oracle.agree("graph @g(%x: f32[4,5,3]) -> (%y: f32[*], %z: f32[*]) {\n  opsets {\"\": 6}\n" + Oracle.constant("c", 5)
                + "  %y: f32[*] = Mul(%x, %c) {axis = 1, broadcast = 1} name \"mul\"\n"
                + "  %z: f32[*] = PRelu(%x, %c) name \"prelu\"\n}\n");
    }

    @Test
    void clipWithInputBoundsAndWithAttributeBounds() {
        Oracle.agree("graph @g(%x: f32[4,5], %lo: f32[]) -> (%y: f32[*], %z: f32[*]) {\n  opsets {\"\": 13}\n"
                + "  const %hi: f32[] = dense<[0.5]>\n  %y: f32[*] = Clip(%x, %lo, %hi) name \"c\"\n"
                + "  %z: f32[*] = Clip(%x, _, %hi) name \"d\"\n}\n");
        Oracle.agree("graph @g(%x: f32[4,5]) -> (%y: f32[*]) {\n  opsets {\"\": 6}\n"
                + "  %y: f32[*] = Clip(%x) {min = -0.25, max = 0.75} name \"c\"\n}\n");
    }

    @Test
    void fusedBodyWithScalarAndTableConstants() {
        Oracle.agree("graph @g(%x: f32[3,4], %s: f32[3,1]) -> (%y: f32[*]) {\n  opsets {\"\": 17, \"kiln\": 1}\n"
                + "  %y: f32[*] = kiln:FusedElementwise(%x, %s) {\n"
                + "    body = graph @body(%in0: f32[3,4], %in1: f32[3,1]) -> (%out: f32[3,4]) {\n"
                + "      const %mean: f32[4] = dense<[0.5, -1.0, 2.0, 0.25]>\n      const %two: f32[] = dense<[2.0]>\n"
                + "      %d: f32[3,4] = Sub(%in0, %mean) name \"sub\"\n      %m: f32[3,4] = Mul(%d, %in1) name \"mul\"\n"
                + "      %p: f32[3,4] = Div(%m, %two) name \"div\"\n      %out: f32[3,4] = Sigmoid(%p) name \"sig\"\n    }\n"
                + "  } name \"fused\"\n}\n");
    }
}
