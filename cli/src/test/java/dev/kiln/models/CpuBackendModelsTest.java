package dev.kiln.models;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.passes.memory.MemoryPlan;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU backend on real exported models against the oracle: every model under {@code models/} (PyTorch and
 * scikit-learn exports) and the torchvision ResNet-18 and MobileNetV2 exports, optimized at -O2 and run on
 * {@code cpu} at one and at two threads, must match the reference backend on the imported graph within
 * {@link Closeness}'s tolerance. The torchvision models ({@code tools/models/export_torchvision.py}, which
 * {@code bin/test} runs) are skipped when absent, except under {@code CI=true}, where their absence fails.
 */
class CpuBackendModelsTest {
    private static final List<String> TORCHVISION = List.of("resnet18", "mobilenet_v2");

    @TestFactory
    Stream<DynamicTest> committedModelsMatchTheReferenceBackend() throws IOException {
        Path root = RepoRoot.find();
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(root.resolve("models"), 2)) {
            folders = walk.filter(dir -> Files.isRegularFile(dir.resolve("model.onnx"))).sorted().toList();
        }
        assertTrue(folders.size() >= 20, "expected the PyTorch and scikit-learn models under models/, found " + folders);
        Path digits = root.resolve("examples/digits");
        return Stream.concat(
                Stream.of(DynamicTest.dynamicTest("examples/digits", digits.toUri(),
                        () -> check(digits.resolve("digits_cnn.onnx"), List.of(digits.resolve("samples.npy"))))),
                folders.stream().map(dir -> DynamicTest.dynamicTest(root.relativize(dir).toString(), dir.toUri(), () -> check(dir))));
    }

    @TestFactory
    Stream<DynamicTest> torchvisionModelsMatchTheReferenceBackend() {
        Path exports = RepoRoot.find().resolve("target/torchvision");
        return TORCHVISION.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = exports.resolve(name);
            boolean present = Files.isRegularFile(dir.resolve("model.onnx"));
            if (!present && "true".equals(System.getenv("CI"))) {
                throw new AssertionError(dir + " is absent under CI=true: bin/test exports it with tools/models/export_torchvision.py");
            }
            Assumptions.assumeTrue(present, dir + " is absent: run /usr/bin/python3 tools/models/export_torchvision.py");
            check(dir);
        }));
    }

    /** {@code dir/model.onnx} fed {@code dir/input_K.npy}. */
    private static void check(Path dir) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (int k = 0; Files.isRegularFile(dir.resolve("input_" + k + ".npy")); k++) files.add(dir.resolve("input_" + k + ".npy"));
        check(dir.resolve("model.onnx"), files);
    }

    private static void check(Path model, List<Path> inputFiles) throws IOException {
        Model imported = Kiln.load(model);
        Map<String, Tensor> feed = inputs(inputFiles, imported.graph());
        String name = model.getParent().getFileName().toString();
        Map<String, Tensor> expected = run(imported, "ref", 1, feed);
        Graph optimized = PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(Writer.nullWriter()))
                .run(imported.graph(), new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference())).graph();
        // The cpu runs place intermediates in the arena plan-memory laid out, as `kiln run` does (the scikit-learn
        // exports have nothing to plan: one node, or shapes that depend on values).
        if (List.of("digits", "resnet18", "mobilenet_v2", "cnn_bn").contains(name)) {
            assertTrue(MemoryPlan.read(optimized).arenaBytes() > 0, name + ": -O2 planned no arena");
        }
        for (int threads : new int[] {1, 2}) {
            Map<String, Tensor> actual = run(Kiln.fromGraph(optimized, model), "cpu", threads, feed);
            for (Value out : imported.graph().outputs()) {
                Tensor e = expected.get(out.name());
                if (e.dtype().kind() != DType.Kind.FLOAT) { // labels of a classifier: exactly the reference's
                    assertTrue(e.contentEquals(actual.get(out.name())), name + " output '" + out.name() + "' on cpu, "
                            + threads + " threads: " + actual.get(out.name()) + ", expected " + e);
                    continue;
                }
                System.out.println(Closeness.assertClose(name + " output '" + out.name() + "' on cpu, " + threads
                        + " threads, vs ref", e, actual.get(out.name())));
            }
        }
    }

    private static Map<String, Tensor> run(Model model, String device, int threads, Map<String, Tensor> feed) {
        CompiledModel compiled = model.compile(CompileOptions.defaults().withDevice(device).withThreads(threads)
                .withArenaBytes(MemoryPlan.read(model.graph()).arenaBytes()));
        assertEquals(device, compiled.device());
        try (Session session = compiled.newSession()) {
            return session.run(feed);
        }
    }

    private static Map<String, Tensor> inputs(List<Path> files, Graph graph) throws IOException {
        assertEquals(graph.inputs().size(), files.size(), "input files " + files);
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (int k = 0; k < files.size(); k++) {
            assertTrue(Files.isRegularFile(files.get(k)), files.get(k) + " is missing");
            feed.put(graph.inputs().get(k).name(), Npy.read(files.get(k)));
        }
        assertFalse(feed.isEmpty(), "a model without inputs");
        return feed;
    }
}
