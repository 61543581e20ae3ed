package dev.kiln.models;

import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
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
 * and reproduce PyTorch's outputs within {@link Closeness}'s tolerance. {@code input_K.npy} feeds the K-th graph
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
        return folders.stream().map(dir ->
                DynamicTest.dynamicTest(dir.getFileName().toString(), dir.toUri(), () -> matchesPyTorch(dir)));
    }

    private static void matchesPyTorch(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        Model model = Kiln.load(dir.resolve("model.onnx"));
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
