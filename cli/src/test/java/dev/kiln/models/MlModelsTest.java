package dev.kiln.models;

import dev.kiln.ir.DType;
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.ConstantResolver;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every hand-converted scikit-learn model under {@code models/ml/} (see models/ml/README.md) must run on the
 * reference backend and reproduce scikit-learn: labels (int64 or string outputs) exactly, scores within
 * {@link Closeness}'s tolerance. Each model has one input, {@code input_0.npy}; {@code output_K.npy} is compared with
 * the K-th graph output. Each imported graph must also verify clean and print back identically through IR text.
 */
class MlModelsTest {
    @TestFactory
    Stream<DynamicTest> eachModelMatchesScikitLearn() throws IOException {
        Path models = RepoRoot.find().resolve("models").resolve("ml");
        List<Path> folders;
        try (Stream<Path> listing = Files.list(models)) {
            folders = listing.filter(dir -> Files.isRegularFile(dir.resolve("model.onnx"))).sorted().toList();
        }
        assertFalse(folders.isEmpty(), "no model folders under " + models);
        return folders.stream().map(dir ->
                DynamicTest.dynamicTest(dir.getFileName().toString(), dir.toUri(), () -> matchesScikitLearn(dir)));
    }

    private static void matchesScikitLearn(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        Model model = Kiln.load(dir.resolve("model.onnx"));
        List<Value> inputs = model.graph().inputs();
        List<Value> outputs = model.graph().outputs();
        assertEquals(1, inputs.size(), name + ": graph inputs");
        assertEquals(List.of(), IrVerifier.standard().verify(model.graph()), name + ": verifier diagnostics");
        String text = IrPrinter.print(model.graph());
        assertEquals(text, IrPrinter.print(IrParser.parse(text, ConstantResolver.of(model.graph()))), name + ": IR text round trip");
        Map<String, Tensor> got;
        try (Session session = model.compile(CompileOptions.defaults().withDevice("ref")).newSession()) {
            got = session.run(Map.of(inputs.getFirst().name(), Npy.read(dir.resolve("input_0.npy"))));
        }
        List<Executable> checks = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            String what = name + " output '" + outputs.get(k).name() + "'";
            Tensor expected = Npy.read(dir.resolve("output_" + k + ".npy"));
            Tensor actual = got.get(outputs.get(k).name());
            checks.add(() -> System.out.println(expected.dtype().isFloat()
                    ? Closeness.assertClose(what, expected, actual) : assertSameLabels(what, expected, actual)));
        }
        assertAll(name, checks);
    }

    /** Labels must match exactly: same dtype, shape and every element. */
    private static String assertSameLabels(String what, Tensor expected, Tensor actual) {
        assertNotNull(actual, what + ": Kiln produced no such output");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        if (expected.dtype() == DType.STRING) {
            assertArrayEquals(expected.toStrings(), actual.toStrings(), what);
        } else {
            assertArrayEquals(expected.toLongs(), actual.toLongs(), what);
        }
        return what + ": all " + expected.size() + " labels equal";
    }
}
