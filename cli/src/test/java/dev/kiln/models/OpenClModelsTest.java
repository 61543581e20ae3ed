package dev.kiln.models;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The OpenCL backend on the exported CNN, ResNet-style, MobileNet-style and MLP models and the digits example:
 * imported (-O0: BatchNormalization, Pad and AveragePool as their own kernels) and optimized (-O2: the fused
 * Conv and Gemm epilogues), each must match the reference backend within {@link Closeness}'s tolerance. Skipped
 * without an OpenCL platform, except under {@code CI=true}, where its absence fails.
 */
class OpenClModelsTest {
    private static final List<String> MODELS = List.of("cnn_bn", "resnet", "mobilenet", "mlp");

    @TestFactory
    Stream<DynamicTest> modelsMatchTheReferenceBackend() {
        Path root = RepoRoot.find();
        Stream<Path[]> cases = Stream.concat(
                Stream.<Path[]>of(new Path[] {root.resolve("examples/digits/digits_cnn.onnx"), root.resolve("examples/digits/samples.npy")}),
                MODELS.stream().map(m -> new Path[] {root.resolve("models/" + m + "/model.onnx"), root.resolve("models/" + m + "/input_0.npy")}));
        return cases.flatMap(c -> Stream.of(OptLevel.O0, OptLevel.O2).map(level -> DynamicTest.dynamicTest(
                c[0].getParent().getFileName() + " -" + level, () -> check(c[0], c[1], level))));
    }

    private static void check(Path modelFile, Path inputFile, OptLevel level) throws IOException {
        boolean available = Backends.byName("opencl").devices().stream().anyMatch(d -> d.available());
        if (!available && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no OpenCL device under CI=true: install pocl-opencl-icd (.ci/run does)");
        }
        Assumptions.assumeTrue(available, "no OpenCL device on this machine");
        Model imported = Kiln.load(modelFile);
        Graph graph = imported.graph();
        Map<String, Tensor> feed = new LinkedHashMap<>();
        feed.put(graph.inputs().getFirst().name(), Npy.read(inputFile));
        Map<String, Tensor> expected = run(imported, "ref", feed);
        Graph compiled = level == OptLevel.O0 ? graph
                : PassManager.forLevel(level, PassOptions.none(), new PrintWriter(Writer.nullWriter()))
                        .run(graph, new PassContext(level, Map.of(), TargetPreferences.reference())).graph();
        Map<String, Tensor> actual = run(Kiln.fromGraph(compiled, modelFile), "opencl", feed);
        for (Value out : graph.outputs()) {
            System.out.println(Closeness.assertClose(modelFile.getParent().getFileName() + " -" + level + " output '"
                    + out.name() + "' on opencl vs ref", expected.get(out.name()), actual.get(out.name())));
        }
    }

    private static Map<String, Tensor> run(Model model, String device, Map<String, Tensor> feed) {
        CompiledModel compiled = model.compile(CompileOptions.defaults().withDevice(device));
        assertEquals(device, compiled.device());
        try (Session session = compiled.newSession()) {
            return session.run(feed);
        }
    }
}
