package dev.kiln.cli;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quantization flags end to end on the digits CNN (calibrated on its 16 samples): compile writes an int8
 * artifact under 0.35× the float one that run and bench take as it is, run quantizes on the fly, --keep-float and
 * --explain say which nodes stayed float, quantize-report compares the methods, a QDQ model from another tool is
 * lowered, and bad flags are one-line errors.
 */
class QuantizeCommandsTest {
    private static final Path ROOT = CompileCommandTest.ROOT;
    private static final Path DIGITS = ROOT.resolve("examples/digits/digits_cnn.onnx");
    private static final Path SAMPLES = ROOT.resolve("examples/digits/samples.npy");
    private static final Path LABELS = ROOT.resolve("examples/digits/labels.npy");

    @TempDir
    Path dir;

    @Test
    void int8ArtifactIsSmallAndRunsLikeOnTheFlyQuantization() throws IOException {
        Path f32 = dir.resolve("f32.kiln");
        Path i8 = dir.resolve("i8.kiln");
        assertEquals(0, Cli.run("compile", DIGITS.toString(), "-o", f32.toString()).code());
        Cli compile = Cli.run("compile", DIGITS.toString(), "-o", i8.toString(), "--quantize", "int8", "--calibration", SAMPLES.toString());
        assertEquals(0, compile.code(), compile.toString());
        assertTrue(compile.err().contains("quantization: 6 nodes quantized, 0 kept in float"), compile.toString());
        double ratio = (double) Files.size(i8) / Files.size(f32);
        assertTrue(ratio < 0.35, "int8/float artifact size " + ratio);

        Path saved = dir.resolve("saved");
        Path onTheFly = dir.resolve("fly");
        assertEquals(0, Cli.run("run", i8.toString(), "-i", SAMPLES.toString(), "-o", saved.toString()).code());
        Cli fly = Cli.run("run", DIGITS.toString(), "-i", SAMPLES.toString(), "-o", onTheFly.toString(), "--quantize", "int8", "--calibration", SAMPLES.toString());
        assertEquals(0, fly.code(), fly.toString());
        Tensor a = (Tensor) Npy.read(saved.resolve("logits.npy"));
        Tensor b = (Tensor) Npy.read(onTheFly.resolve("logits.npy"));
        Tensor labels = (Tensor) Npy.read(LABELS);
        for (int i = 0; i < a.size(); i++) assertEquals(a.getDouble(i), b.getDouble(i), 0, "logit " + i);
        for (int row = 0; row < labels.size(); row++) {
            int best = 0;
            for (int c = 1; c < 10; c++) if (a.getDouble(row * 10 + c) > a.getDouble(row * 10 + best)) best = c;
            assertEquals(labels.getLong(row), best, "sample " + row);
        }
        Cli bench = Cli.run("bench", i8.toString(), "--warmup", "1", "--iterations", "3");
        assertEquals(0, bench.code(), bench.toString());
    }

    @Test
    void keepFloatAndExplainListEveryFloatNodeWithItsReason() {
        Cli r = Cli.run("compile", DIGITS.toString(), "-o", dir.resolve("m.kiln").toString(), "--quantize", "int8", "--calibration",
                SAMPLES.toString(), "--keep-float", "/classifier/classifier.3/*", "--explain");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("explain /classifier/classifier.3/Gemm: quantize-int8: kept in float: kept in float by --keep-float"), r.err());
        assertTrue(r.err().contains("quantization: 5 nodes quantized, 1 kept in float"), r.err());
    }

    @Test
    void dynamicQuantizationRunsWithoutCalibration() {
        Cli r = Cli.run("run", ROOT.resolve("models/mlp/model.onnx").toString(), "-i", ROOT.resolve("models/mlp/input_0.npy").toString(),
                "--quantize", "int8-dynamic", "--explain");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("quantized dynamically"), r.err());
    }

    @Test
    void reportMeasuresDynamicQuantizationOfTheRecurrentModelWithoutCalibration() {
        Cli r = Cli.run("quantize-report", ROOT.resolve("models/lstm/model.onnx").toString(), "--quantize", "int8-dynamic",
                "--inputs", ROOT.resolve("models/lstm/input_0.npy").toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("int8-dynamic, evaluation 4 samples one per run"), r.out());
        assertTrue(r.out().contains("int8-dynamic top-1 agrees with float: 100.00%"), r.out());
        assertTrue(r.out().contains("kept in float: none"), r.out());
    }

    @Test
    void reportComparesTheMethodsAndListsTheLayers() {
        Cli r = Cli.run("quantize-report", DIGITS.toString(), "--calibration", SAMPLES.toString(), "--inputs", SAMPLES.toString(),
                "--labels", LABELS.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("float top-1: 100.00%"), r.out());
        for (String method : new String[] {"minmax", "percentile 99.99", "entropy"}) assertTrue(r.out().contains(method), r.out());
        assertTrue(r.out().contains("/features/features.3/Relu_output_0"), r.out());
        assertTrue(r.out().contains("kept in float: none"), r.out());
    }

    @Test
    void preQuantizedQdqModelIsLoweredAndComputesWhatItsQdqFormMeans() throws Exception {
        Path model = Path.of(QuantizeCommandsTest.class.getResource("/quant/qdq_conv.onnx").toURI());
        Path input = Path.of(QuantizeCommandsTest.class.getResource("/quant/qdq_conv_input.npy").toURI());
        Cli asImported = Cli.run("run", model.toString(), "-i", input.toString(), "-O", "0", "-o", dir.resolve("o0").toString());
        assertEquals(0, asImported.code(), asImported.toString());
        Cli lowered = Cli.run("run", model.toString(), "-i", input.toString(), "-o", dir.resolve("o2").toString(), "--explain");
        assertEquals(0, lowered.code(), lowered.toString());
        assertTrue(lowered.err().contains("explain conv: lower-qdq: lowered to QLinearConv, Relu 'relu' folded into the output saturation"), lowered.err());
        assertTrue(lowered.err().contains("explain pool: lower-qdq: lowered to MaxPool"), lowered.err());
        Tensor qdq = (Tensor) Npy.read(dir.resolve("o0/y.npy"));
        Tensor integer = (Tensor) Npy.read(dir.resolve("o2/y.npy"));
        double step = 4.0 / 255; // the output scale: integer rounding may differ from float-then-round by one step
        for (int i = 0; i < qdq.size(); i++) assertEquals(qdq.getDouble(i), integer.getDouble(i), step + 1e-6, "y[" + i + "]");
    }

    @Test
    void ortQOperatorModelWithComMicrosoftOpsRunsAsItIs() throws Exception {
        // made by tools/quantization/make_qoperator_contrib_model.py, which also computes the expected outputs in numpy
        Path model = Path.of(QuantizeCommandsTest.class.getResource("/quant/qoperator_contrib.onnx").toURI());
        Path input = Path.of(QuantizeCommandsTest.class.getResource("/quant/qoperator_contrib_input.npy").toURI());
        for (String[] run : new String[][] {{"ref", "0"}, {"ref", "2"}, {"cpu", "2"}}) {
            Path out = dir.resolve("contrib_" + run[0] + run[1]);
            Cli r = Cli.run("run", model.toString(), "-i", input.toString(), "-d", run[0], "-O", run[1], "-o", out.toString());
            assertEquals(0, r.code(), r.toString());
            for (String name : new String[] {"p", "g"}) {
                Tensor want = (Tensor) Npy.read(Path.of(QuantizeCommandsTest.class.getResource("/quant/qoperator_contrib_" + name + ".npy").toURI()));
                Tensor got = (Tensor) Npy.read(out.resolve(name + ".npy"));
                assertEquals(java.util.Arrays.toString(want.toDoubles()), java.util.Arrays.toString(got.toDoubles()), name + " on " + String.join(" -O", run));
            }
        }
    }

    @Test
    void badFlagsAreOneLineErrors() {
        Cli noData = Cli.run("compile", DIGITS.toString(), "-o", dir.resolve("x.kiln").toString(), "--quantize", "int8");
        assertEquals(1, noData.errLines().size(), noData.toString());
        assertTrue(noData.err().contains("--quantize int8 needs --calibration"), noData.toString());
        Cli method = Cli.run("compile", DIGITS.toString(), "-o", dir.resolve("x.kiln").toString(), "--quantize", "int8",
                "--calibration", SAMPLES.toString(), "--calibration-method", "mse");
        assertTrue(method.err().contains("unknown calibration method 'mse'"), method.toString());
        Cli mode = Cli.run("compile", DIGITS.toString(), "-o", dir.resolve("x.kiln").toString(), "--quantize", "int4");
        assertTrue(mode.err().contains("--quantize must be int8 or int8-dynamic"), mode.toString());
    }
}
