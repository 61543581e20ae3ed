package dev.kiln.cli;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.io.TensorFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands on real ONNX files, through the ONNX importer, its .pb codec and the reference kernels. */
class OnnxEndToEndTest {
    @TempDir
    Path dir;

    private static Tensor f32(float... v) { return Tensor.ofFloats(new long[] {v.length}, v); }

    /** A backend-test folder: model.onnx and test_data_set_0 with input_0.pb and output_0.pb. */
    private void backendTest(String name, String op, Tensor input, Tensor expected) throws IOException {
        Path test = dir.resolve("node").resolve(name);
        OnnxModels.oneNode(test.resolve("model.onnx"), op);
        Path set = test.resolve("test_data_set_0");
        java.nio.file.Files.createDirectories(set);
        TensorFiles.write(set.resolve("input_0.pb"), input);
        TensorFiles.write(set.resolve("output_0.pb"), expected);
    }

    @Test
    void conformancePassesFailsAndSkipsRealTests() throws IOException {
        backendTest("test_relu", "Relu", f32(-1, 0, 2), f32(0, 0, 2));
        backendTest("test_relu_wrong", "Relu", f32(-1, 0, 2), f32(0, 0, 2.5f));
        backendTest("test_frobnicate", "Frobnicate", f32(1, 2, 3), f32(1, 2, 3));
        backendTest("test_corrupt", "Relu", f32(1, 2, 3), f32(1, 2, 3));
        java.nio.file.Files.write(dir.resolve("node/test_corrupt/model.onnx"), new byte[] {8, 10, 18, (byte) 0xFF});
        Cli r = Cli.run("conformance", dir.resolve("node").toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.outLines().getFirst().startsWith("FAIL test_corrupt: not a valid ONNX model"), r.out());
        assertEquals(List.of(
                "SKIP test_frobnicate: not implemented: Frobnicate",
                "PASS test_relu",
                "FAIL test_relu_wrong: output 'y' at [2]: got 2.0, expected 2.5 (|diff| 0.500 > tolerance 0.00250) (1 of 3 elements differ)",
                "1 passed, 2 failed, 1 skipped"), r.outLines().subList(1, 5));
    }

    @Test
    void runReadsPbInputsAndWritesNpyOutputs() throws IOException {
        Path model = OnnxModels.oneNode(dir.resolve("relu.onnx"), "Relu");
        Path input = dir.resolve("x.pb");
        TensorFiles.write(input, f32(-3, 1, 4));
        Cli r = Cli.run("run", model.toString(), "--input", input.toString(), "--output-dir", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("y: f32[3]  values [0, 1, 4]"), r.out());
        Tensor y = (Tensor) TensorFiles.read(dir.resolve("out/y.npy"), null);
        assertEquals(List.of(0f, 1f, 4f), List.of(y.toFloats()[0], y.toFloats()[1], y.toFloats()[2]));
    }

    @Test
    void aModelWithUnsupportedOpsIsOneLineExit1() throws IOException {
        Path model = OnnxModels.oneNode(dir.resolve("frob.onnx"), "Frobnicate");
        Cli r = Cli.run("run", model.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("kiln run: " + model + ": 1 unsupported op: node 'n0' (Frobnicate, opset 21)"), r.errLines());
    }
}
