package dev.kiln.backend.opencl;

import dev.kiln.runtime.spi.KernelChoice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The com.microsoft quantized ops run as their Q/DQ expansion on OpenCL against the reference interpreter's contrib
 * kernels, bit for bit, in int8 and uint8; zero points given and left out (0), broadcasting, padding and ties of the
 * output rounding (scales that make many quotients end in .5) included.
 */
class ContribQuantKernelTest {
    private static final List<String> TYPES = List.of("i8", "u8");

    private static String graph(String inputs, String output, String body) {
        return "graph @g(" + inputs + ") -> (%y: " + output + ") {\n  opsets {\"\": 19, \"com.microsoft\": 1}\n"
                + "  const %as: f32[] = dense<[0.0371]>\n  const %bs: f32[] = dense<[0.0213]>\n  const %ys: f32[] = dense<[0.0452]>\n"
                + "  const %hs: f32[] = dense<[0.5]>\n  const %us: f32[] = dense<[1.0]>\n" + body + "}\n";
    }

    private static String zero(String name, String t, int value) {
        return "  const %" + name + ": " + t + "[] = dense<[" + (t.equals("u8") ? value + 128 : value) + "]>\n";
    }

    private static String zeros(String t) { return zero("az", t, 3) + zero("bz", t, -5) + zero("yz", t, 1); }

    private static void assertExpanded(List<KernelChoice> kernels, String op) {
        assertTrue(kernels.stream().anyMatch(k -> k.kernel().contains("part of com.microsoft:" + op + ", run as its Q/DQ expansion")), kernels.toString());
    }

    @Test
    void addAndMulWithBroadcastingAndWithoutZeroPoints() {
        for (String t : TYPES) {
            for (String op : List.of("QLinearAdd", "QLinearMul")) {
                assertExpanded(Oracle.agree(graph("%a: " + t + "[2,3,4,5], %b: " + t + "[3,1,5]", t + "[*]", zeros(t)
                        + "  %y: " + t + "[*] = com.microsoft:" + op + "(%a, %as, %az, %b, %bs, %bz, %ys, %yz) name \"n\"\n")), op);
                // input scales 0.5, output scale 1: many results end in .5, the ties of round-half-to-even
                Oracle.agree(graph("%a: " + t + "[4,64], %b: " + t + "[4,64]", t + "[*]", zero("yz", t, 0)
                        + "  %y: " + t + "[*] = com.microsoft:" + op + "(%a, %hs, _, %b, %hs, _, %us, %yz) name \"n\"\n"));
            }
            // no output zero point: the result must stay in the inputs' type (QuantizeLinear alone would give uint8)
            Oracle.agree(graph("%a: " + t + "[3,7], %b: " + t + "[3,7]", t + "[*]",
                    "  %y: " + t + "[*] = com.microsoft:QLinearAdd(%a, %as, _, %b, %bs, _, %ys) name \"n\"\n"));
        }
    }

    @Test
    void concatRequantizesEachInput() {
        for (String t : TYPES) {
            assertExpanded(Oracle.agree(graph("%a: " + t + "[2,3,4], %b: " + t + "[2,2,4], %c: " + t + "[2,1,4]", t + "[*]", zeros(t)
                    + "  %y: " + t + "[*] = com.microsoft:QLinearConcat(%ys, %yz, %a, %ys, %yz, %b, %bs, %bz, %c, %as, %az) {axis = 1} name \"n\"\n")),
                    "QLinearConcat");
        }
    }

    @Test
    void averagePoolWithPaddingBothWaysAndGlobalAveragePool() {
        for (String t : TYPES) {
            for (int includePad = 0; includePad < 2; includePad++) {
                assertExpanded(Oracle.agree(graph("%a: " + t + "[1,3,7,6]", t + "[*]", zeros(t) + "  %y: " + t
                        + "[*] = com.microsoft:QLinearAveragePool(%a, %as, %az, %ys, %yz) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], "
                        + "strides = [2, 1], count_include_pad = " + includePad + "} name \"n\"\n")), "QLinearAveragePool");
            }
            Oracle.agree(graph("%a: " + t + "[2,2,5,5]", t + "[*]", zero("yz", t, 0) + "  %y: " + t
                    + "[*] = com.microsoft:QLinearAveragePool(%a, %hs, _, %us, %yz) {kernel_shape = [2, 2], strides = [2, 2]} name \"n\"\n"));
            assertExpanded(Oracle.agree(graph("%a: " + t + "[2,4,5,3]", t + "[*]", zeros(t) + "  %y: " + t
                    + "[*] = com.microsoft:QLinearGlobalAveragePool(%a, %as, %az, %ys, %yz) name \"n\"\n")), "QLinearGlobalAveragePool");
        }
    }
}
