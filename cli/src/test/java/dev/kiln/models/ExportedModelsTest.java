package dev.kiln.models;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every PyTorch-exported model under {@code models/} (see models/README.md) must import, run on the reference backend,
 * and reproduce PyTorch's outputs within {@link Closeness}'s tolerance, as imported and after the -O2 passes. {@code input_K.npy} feeds the K-th graph
 * input and {@code output_K.npy} is compared with the K-th graph output. Folders without a {@code model.onnx}
 * (such as {@code models/ml/}, the scikit-learn models {@link MlModelsTest} checks) are not models of this kind.
 */
class ExportedModelsTest {
    @TestFactory
    Stream<DynamicTest> eachModelMatchesPyTorch() throws IOException {
        Path models = RepoRoot.find().resolve("models");
        List<Path> folders;
        try (Stream<Path> listing = Files.list(models)) {
            folders = listing.filter(dir -> Files.isRegularFile(dir.resolve("model.onnx"))).sorted().toList();
        }
        assertFalse(folders.isEmpty(), "no model folders under " + models);
        return folders.stream().flatMap(dir -> Stream.of(OptLevel.O0, OptLevel.O2).map(level ->
                DynamicTest.dynamicTest(dir.getFileName().toString() + " -" + level, dir.toUri(), () -> matchesPyTorch(dir, level))));
    }

    /** The model as imported (-O0), or after the level's pipeline with the verifier after every pass. */
    private static Model optimized(Path file, OptLevel level) {
        Model imported = Kiln.load(file);
        if (level == OptLevel.O0) return imported;
        Graph graph = PassManager.forLevel(level, PassOptions.verifying(), new PrintWriter(Writer.nullWriter()))
                .run(imported.graph(), new PassContext(level, Map.of(), TargetPreferences.reference())).graph();
        return Kiln.fromGraph(graph, file);
    }

    private static void matchesPyTorch(Path dir, OptLevel level) throws IOException {
        String name = dir.getFileName().toString() + " -" + level;
        Model model = optimized(dir.resolve("model.onnx"), level);
        List<Value> inputs = model.graph().inputs();
        List<Value> outputs = model.graph().outputs();
        assertEquals(inputs.size(), countFiles(dir, "input_"), name + ": input_K.npy files vs graph inputs");
        assertEquals(outputs.size(), countFiles(dir, "output_"), name + ": output_K.npy files vs graph outputs");

        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (int k = 0; k < inputs.size(); k++) feed.put(inputs.get(k).name(), Npy.read(dir.resolve("input_" + k + ".npy")));
        Map<String, Tensor> got;
        try (Session session = model.compile(CompileOptions.defaults().withDevice("ref")).newSession()) {
            got = session.run(feed);
        }

        List<Executable> checks = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            String output = outputs.get(k).name();
            Tensor expected = Npy.read(dir.resolve("output_" + k + ".npy"));
            checks.add(() -> System.out.println(
                    Closeness.assertClose(name + " output '" + output + "'", expected, got.get(output))));
        }
        assertAll(name, checks);
    }

    private static long countFiles(Path dir, String prefix) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).filter(f -> f.matches(prefix + "\\d+\\.npy")).count();
        }
    }
}
