package dev.kiln.cli;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln compile --target --emit-dir} and {@code kiln run --binary} on the digits example: the device binary
 * the emit dir gets runs like the kernels built from source, and bad input is one line naming what is wrong.
 */
class OfflineFlowTest {
    private static final Path DIGITS = CompileCommandTest.ROOT.resolve("examples/digits/digits_cnn.onnx");

    @TempDir
    Path dir;

    @Test
    void theDeviceBinaryOfAnEmitDirRunsLikeTheSourceBuild() throws IOException {
        requireOpenCl();
        Path emit = dir.resolve("emit");
        Cli compiled = Cli.run("compile", DIGITS.toString(), "--target", "opencl", "--emit-dir", emit.toString());
        assertEquals(0, compiled.code(), compiled.toString());
        Path binary;
        try (Stream<Path> files = Files.list(emit)) {
            binary = files.filter(f -> f.getFileName().toString().matches("kiln\\..+\\.bin") && !f.endsWith("kiln.weights.bin"))
                    .findFirst().orElseThrow();
        }
        for (String f : new String[] {"kernels.cl", "kiln.manifest.json", "kiln.weights.bin"}) assertTrue(Files.isRegularFile(emit.resolve(f)), f);
        assertTrue(compiled.out().contains("wrote " + emit + ": kernels.cl, kiln.manifest.json, kiln.weights.bin, " + binary.getFileName()
                + " (5 kernels, 86184 weight bytes, graph sha256:"), compiled.out());

        Path x = dir.resolve("x.npy");
        float[] samples = Npy.read(CompileCommandTest.ROOT.resolve("examples/digits/samples.npy")).toFloats();
        Npy.write(x, Tensor.ofFloats(new long[] {1, 1, 8, 8}, java.util.Arrays.copyOf(samples, 64)));
        Cli fromSource = Cli.run("run", DIGITS.toString(), "--device", "opencl", "-i", x.toString(), "-o", dir.resolve("source").toString());
        Cli fromBinary = Cli.run("run", DIGITS.toString(), "--device", "opencl", "-i", x.toString(), "-o", dir.resolve("binary").toString(),
                "--binary", binary.toString());
        assertEquals(0, fromBinary.code(), fromBinary.toString());
        assertEquals(fromSource.out().replace(dir.resolve("source").toString(), "OUT"), fromBinary.out().replace(dir.resolve("binary").toString(), "OUT"));
        Tensor expected = Npy.read(dir.resolve("source/logits.npy"));
        assertArrayEquals(expected.toFloats(), Npy.read(dir.resolve("binary/logits.npy")).toFloats());

        Cli otherLevel = Cli.run("run", DIGITS.toString(), "--device", "opencl", "-i", x.toString(), "--binary", binary.toString(), "-O0");
        assertEquals(1, otherLevel.code(), otherLevel.toString());
        assertEquals(1, otherLevel.errLines().size(), otherLevel.toString());
        assertTrue(otherLevel.err().startsWith("kiln run: binary " + binary + " does not fit this model: it was built for graph"), otherLevel.err());
    }

    @Test
    void anFpgaPartGetsItsVendorsBuildScript() throws IOException {
        Cli r = Cli.run("compile", DIGITS.toString(), "--target", "fpga:arria10-gx1150", "--emit-dir", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("target: fpga:arria10-gx1150 (Intel Arria 10 GX 1150"), r.out());
        assertTrue(r.out().contains("wrote " + dir + ": kernels.cl, kiln.manifest.json, kiln.weights.bin, build.sh, estimate.txt, estimate.json (5 kernels"), r.out());
        assertTrue(Files.readString(dir.resolve("build.sh")).contains("aoc -board=\"$AOC_BOARD\" kernels.cl -o kiln.aocx"));
        // The exploration's factors reach the kernels, and its report, marked as estimates, lies beside them.
        assertTrue(r.out().contains("design (fp32 lanes): dedicated hardware per layer"), r.out());
        String report = Files.readString(dir.resolve("estimate.txt"));
        assertTrue(report.startsWith("FPGA estimate (estimates, not measurements) on arria10-gx1150"), report);
        String widest = report.lines().filter(l -> l.contains("FusedGemm")).findFirst().orElseThrow().trim().split("\\s+")[2];
        assertTrue(Files.readString(dir.resolve("kernels.cl")).contains("#pragma unroll " + widest), "unroll " + widest);
        assertTrue(Files.readString(dir.resolve("estimate.json")).contains("\"part\""), "estimate.json");
        Cli latency = Cli.run("compile", DIGITS.toString(), "--target", "fpga:zu9eg", "--objective", "latency", "--emit-dir", dir.resolve("zu9eg").toString());
        assertEquals(0, latency.code(), latency.toString());
        assertTrue(latency.out().contains("for latency"), latency.out());
        // A quantized graph is explored with 8-bit lanes, the arithmetic its kernels render.
        Cli int8 = Cli.run("compile", DIGITS.toString(), "--quantize", "int8", "--calibration", DIGITS.resolveSibling("samples.npy").toString(),
                "--target", "fpga:arria10-gx1150", "--emit-dir", dir.resolve("int8").toString());
        assertEquals(0, int8.code(), int8.toString());
        assertTrue(int8.out().contains("design (int8 lanes): "), int8.out());
        assertTrue(Files.readString(dir.resolve("int8/kernels.cl")).contains("QLinearConv") || Files.readString(dir.resolve("int8/kernels.cl")).contains("qlinearconv"), "int8 kernels");
        // Residual adds lower to com.microsoft:QLinearAdd, which the kernels and the estimate take as DQ → Add → Q.
        Cli residual = Cli.run("compile", CompileCommandTest.ROOT.resolve("models/resnet/model.onnx").toString(), "--quantize", "int8", "--calibration",
                DIGITS.resolveSibling("samples.npy").toString(), "--target", "fpga:arria10-gx1150", "--emit-dir", dir.resolve("resnet").toString());
        assertEquals(0, residual.code(), residual.toString());
        String estimate = Files.readString(dir.resolve("resnet/estimate.txt"));
        assertTrue(estimate.lines().anyMatch(l -> l.contains("#qdq:") && l.contains(" Add ")), estimate);
    }

    @Test
    void badTargetsAndFlagsAreOneLineUsageErrors() {
        Cli part = Cli.run("compile", DIGITS.toString(), "--target", "fpga:nope", "--emit-dir", dir.toString());
        assertEquals(2, part.code(), part.toString());
        assertEquals(1, part.errLines().size(), part.toString());
        assertTrue(part.err().startsWith("kiln compile: unknown FPGA part 'nope' (known: stratixv-gxa7, arria10-gx1150, "), part.err());
        Cli unknown = Cli.run("compile", DIGITS.toString(), "--target", "fpga9", "--emit-dir", dir.toString());
        assertEquals(2, unknown.code(), unknown.toString());
        assertEquals(1, unknown.errLines().size(), unknown.toString());
        assertTrue(unknown.err().startsWith("kiln compile: unknown target 'fpga9' (known: "), unknown.err());
        Cli alone = Cli.run("compile", DIGITS.toString(), "--emit-dir", dir.toString());
        assertEquals(2, alone.code(), alone.toString());
        assertTrue(alone.err().startsWith("kiln compile: --target and --emit-dir go together"), alone.err());
        Cli nothing = Cli.run("compile", DIGITS.toString());
        assertEquals(2, nothing.code(), nothing.toString());
        assertTrue(nothing.err().startsWith("kiln compile: missing -o FILE.kiln"), nothing.err());
        Cli noDevice = Cli.run("run", DIGITS.toString(), "--binary", DIGITS.toString());
        assertEquals(2, noDevice.code(), noDevice.toString());
        assertTrue(noDevice.err().startsWith("kiln run: --binary needs --device"), noDevice.err());
        Cli ref = Cli.run("run", DIGITS.toString(), "--device", "ref", "--binary", DIGITS.toString());
        assertEquals(1, ref.code(), ref.toString());
        assertEquals("kiln run: " + DIGITS + ": device 'ref' does not load prebuilt device binaries (" + DIGITS + ")", ref.err().strip());
    }

    private static void requireOpenCl() {
        boolean available = Backends.byName("opencl").devices().stream().anyMatch(d -> d.available());
        if (!available && "true".equals(System.getenv("CI"))) throw new AssertionError("no OpenCL device under CI=true");
        Assumptions.assumeTrue(available, "no OpenCL device on this machine");
    }
}
