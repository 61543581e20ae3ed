package dev.kiln.passes.quant;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.Pipelines;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static int8 quantization of the repo's digits models, calibrated on their held-out samples: every Conv and Gemm is
 * lowered to an integer op with int8 weights, and the int8 logits stay within 25 dB SNR of the float ones on the
 * reference interpreter (the CLI's quantize-report measures accuracy on the whole test split).
 */
class QuantizeModelsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @ParameterizedTest
    @ValueSource(strings = {"examples/digits/digits_cnn.onnx|examples/digits/samples.npy", "models/resnet/model.onnx|models/resnet/input_0.npy",
            "models/mobilenet/model.onnx|models/mobilenet/input_0.npy"})
    void int8ModelTracksTheFloatOne(String files) throws IOException {
        String[] f = files.split("\\|");
        Graph model = Kiln.load(ROOT.resolve(f[0])).graph();
        Tensor samples = (Tensor) Npy.read(ROOT.resolve(f[1]));
        Map<String, RuntimeValue> inputs = Map.of(model.inputs().getFirst().name(), samples);
        QuantizationSettings settings = new QuantizationSettings(QuantizationSettings.Mode.STATIC, DType.I8, List.of(),
                QuantizationSettings.calibrated(List.of(inputs), CalibrationMethod.MINMAX, 99.99));
        PassContext ctx = new PassContext(OptLevel.O1, Map.of(), TargetPreferences.reference(), settings);
        Graph quantized = new PassManager(Pipelines.passes(OptLevel.O1, QuantizationSettings.Mode.STATIC), PassOptions.verifying(),
                new PrintWriter(Writer.nullWriter())).run(model, ctx).graph();

        for (Node n : quantized.nodes()) {
            assertTrue(!n.op().equals("Conv") && !n.op().equals("Gemm"), n.describe() + " was left float: " + ctx.explanations().get(n.name()));
            if (n.op().equals("QLinearConv")) assertEquals(DType.I8, quantized.constants().get(n.input(3).name()).dtype());
        }
        assertTrue(quantized.nodes().stream().anyMatch(n -> n.op().equals("QLinearConv")));
        Tensor expected = (Tensor) Interpreter.run(model, inputs).get(model.outputs().getFirst().name());
        Tensor actual = (Tensor) Interpreter.run(quantized, inputs).get(model.outputs().getFirst().name());
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < expected.size(); i++) {
            signal += expected.getDouble(i) * expected.getDouble(i);
            noise += Math.pow(expected.getDouble(i) - actual.getDouble(i), 2);
        }
        double snr = 10 * Math.log10(signal / noise);
        assertTrue(snr > 25, f[0] + ": int8 logits SNR " + snr + " dB");
    }
}
