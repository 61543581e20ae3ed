package dev.kiln.cli;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kiln's int8 pass on the OpenCL backend's int8 kernels, against the reference backend: the digits CNN quantized
 * with its samples as calibration (int8 and uint8 activations: QuantizeLinear, QLinearConv through line buffers,
 * int8 MaxPool, the Gemms as 1×1 QLinearConvs, DequantizeLinear), and the MLP quantized dynamically
 * (DynamicQuantizeLinear, MatMulInteger, Cast of int32 inside fused bodies) at -O1 and -O2, and models/resnet, whose
 * residual adds and pooling lower to com.microsoft contrib ops that run as their Q/DQ expansion. Skipped without an
 * OpenCL platform, except under {@code CI=true}.
 */
class OpenClQuantizeTest {
    private static final Path ROOT = CompileCommandTest.ROOT;
    private static final Path DIGITS = ROOT.resolve("examples/digits/digits_cnn.onnx");
    private static final Path SAMPLES = ROOT.resolve("examples/digits/samples.npy");
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    @BeforeEach
    void needsOpenCl() {
        boolean available = Backends.byName("opencl").devices().stream().anyMatch(d -> d.available());
        if (!available && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no OpenCL device under CI=true: install pocl-opencl-icd (.ci/run does)");
        }
        Assumptions.assumeTrue(available, "no OpenCL device on this machine");
    }

    @Test
    void staticallyQuantizedDigitsMatchTheReference() throws IOException {
        for (String activations : List.of("int8", "uint8")) {
            String explain = agree(DIGITS, SAMPLES, "logits.npy", activations, "--quantize", "int8", "--calibration", SAMPLES.toString(),
                    "--activations", activations);
            String conv = activations.equals("int8") ? "quantized conv to i8 32x16x3x3" : "quantized conv to u8 32x16x3x3";
            assertTrue(explain.contains(conv) && explain.contains("line buffer 3 rows x 16 channels x 10 columns __local (zero-point corrected)"),
                    explain);
        }
    }

    @Test
    void dynamicallyQuantizedMlpMatchesTheReference() throws IOException {
        Path mlp = ROOT.resolve("models/mlp/model.onnx");
        Path input = ROOT.resolve("models/mlp/input_0.npy");
        for (String level : List.of("-O1", "-O2")) {
            String explain = agree(mlp, input, "probabilities.npy", "dynamic" + level, "--quantize", "int8-dynamic", level);
            assertTrue(explain.contains("dynamic quantize to u8") && explain.contains("integer matmul to i32"), explain);
        }
    }

    @Test
    void residualAddsRunAsTheirQdqExpansion() throws IOException {
        Path resnet = ROOT.resolve("models/resnet/model.onnx");
        String explain = agree(resnet, resnet.resolveSibling("input_0.npy"), "logits.npy", "resnet", "--quantize", "int8",
                "--calibration", SAMPLES.toString());
        assertTrue(explain.contains("part of com.microsoft:QLinearAdd, run as its Q/DQ expansion")
                && explain.contains("part of com.microsoft:QLinearGlobalAveragePool, run as its Q/DQ expansion"), explain);
    }

    /** Runs {@code model} on ref and opencl with {@code flags}; asserts {@code output} agrees; returns opencl's --explain. */
    private String agree(Path model, Path input, String output, String name, String... flags) throws IOException {
        Path ref = dir.resolve(name + "-ref");
        Path cl = dir.resolve(name + "-opencl");
        run(model, input, ref, "ref", flags);
        String explain = run(model, input, cl, "opencl", flags);
        Tensor expected = Npy.read(ref.resolve(output));
        Tensor actual = Npy.read(cl.resolve(output));
        assertArrayEquals(expected.shape(), actual.shape(), name);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i);
            assertEquals(e, actual.getDouble(i), TOLERANCE * Math.max(1, Math.abs(e)), name + " element " + i);
        }
        return explain;
    }

    private static String run(Path model, Path input, Path out, String device, String... flags) {
        List<String> args = new ArrayList<>(List.of("run", model.toString(), "-i", input.toString(), "-d", device, "-o", out.toString(), "--explain"));
        args.addAll(List.of(flags));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return r.err() + r.out();
    }
}
