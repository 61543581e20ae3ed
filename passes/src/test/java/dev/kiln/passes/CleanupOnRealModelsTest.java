package dev.kiln.passes;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.io.TensorFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The cleanup passes on every ONNX model that imports and runs on the reference backend (the conformance folders
 * and {@code models/}): run in their -O1 order with dead-code elimination, verified after each pass, the outputs
 * before and after agree on the test's own inputs (random ones for light/, whose tests ship none). Models with
 * nondeterministic outputs are left out: those with an unseeded random op, and any other whose two runs of the
 * original disagree. (Two runs of an unseeded Bernoulli over a few elements agree often enough to make a flaky test,
 * so the random ops are recognized by name, not by their outputs.)
 */
class CleanupOnRealModelsTest {
    /** The cleanup passes in their planned -O1 order ({@link Pipelines} lists each once the lead wires it in). */
    private static final List<String> CLEANUP = List.of("remove-identities", "fold-constants", "simplify-shapes",
            "eliminate-common-subexpressions", "eliminate-dead-code");
    private static final Path TESTS = BackendTestData.root();
    private static final Path MODELS = Path.of("..", "models");

    @TestFactory
    List<DynamicTest> everyRealModel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String folder : List.of("node", "simple", "pytorch-operator", "pytorch-converted")) {
            Path dir = TESTS.resolve(folder);
            if (!Files.isDirectory(dir)) continue;
            for (Path test : list(dir)) {
                Path model = test.resolve("model.onnx");
                if (Files.isRegularFile(model)) tests.add(twin(folder + "/" + test.getFileName(), model, test.resolve("test_data_set_0"), "input_%d.pb"));
            }
        }
        if (Files.isDirectory(TESTS.resolve("light")) && !Boolean.getBoolean("kiln.skipLight")) {
            for (Path model : list(TESTS.resolve("light"))) {
                if (model.toString().endsWith(".onnx")) tests.add(twin("light/" + model.getFileName(), model, null, null));
            }
        }
        for (Path dir : list(MODELS)) {
            Path model = dir.resolve("model.onnx");
            if (Files.isRegularFile(model)) tests.add(twin("models/" + dir.getFileName(), model, dir, "input_%d.npy"));
        }
        assertTrue(tests.size() > 1000, "the ONNX test data should be at " + TESTS);
        return tests;
    }

    /**
     * With the batch bound to the 4 samples of the test inputs, every Shape chain of the exported LSTM and
     * Transformer folds away (with a symbolic batch they depend on it and must stay), and outputs still agree.
     */
    @TestFactory
    List<DynamicTest> staticBatchFoldsShapeChains() {
        return Stream.of("lstm", "transformer").map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = MODELS.resolve(name);
            Graph graph = Kiln.load(dir.resolve("model.onnx")).graph();
            List<Value> bound = graph.inputs().stream().map(v -> new Value(v.name(), new TensorType(v.tensorType().dtype(),
                    Shape.of(v.tensorType().shape().dims().stream().map(d -> d.isStatic() ? d : Dim.of(4)).toList())))).toList();
            Graph batch4 = GraphTyping.type(graph.withInputs(bound), n -> null);
            Graph after = cleanup().run(batch4, PassContext.defaults()).graph();
            List<String> shapeOps = after.nodes().stream().map(Node::op)
                    .filter(op -> Set.of("Shape", "ConstantOfShape", "Concat", "Unsqueeze").contains(op)).toList();
            assertEquals(List.of(), shapeOps, name + ": shape arithmetic left after folding");
            Map<String, RuntimeValue> inputs = inputs(graph, dir, "input_%d.npy");
            String mismatch = mismatch(graph, Interpreter.run(graph, inputs), Interpreter.run(after, inputs));
            if (mismatch != null) fail(name + ": " + mismatch);
        })).toList();
    }

    private static PassManager cleanup() {
        List<Pass> passes = CLEANUP.stream().map(PassRegistry::byName).toList();
        return new PassManager(passes, PassOptions.verifying(), new PrintWriter(Writer.nullWriter()));
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static DynamicTest twin(String label, Path model, Path dataDir, String inputPattern) {
        return DynamicTest.dynamicTest(label, () -> {
            Graph graph;
            Map<String, RuntimeValue> inputs;
            Map<String, RuntimeValue> before;
            try {
                graph = Kiln.load(model).graph();
                inputs = inputs(graph, dataDir, inputPattern);
                before = Interpreter.run(graph, inputs);
            } catch (KilnException | UnsupportedOperationException e) {
                System.out.printf("cleanup-skipped %s: %s%n", label, e.getMessage()); // the conformance suite reports these
                return;
            }
            if (graph.nodes().stream().anyMatch(n -> RandomOps.isRandom(n) && !n.hasAttribute("seed"))) {
                System.out.printf("cleanup-skipped %s: unseeded random op%n", label);
                return;
            }
            Graph after = cleanup().run(graph, PassContext.defaults()).graph();
            assertEquals(graph.outputs().stream().map(Value::name).toList(), after.outputs().stream().map(Value::name).toList(),
                    label + ": graph output names");
            Map<String, RuntimeValue> optimized = Interpreter.run(after, inputs);
            String mismatch = mismatch(graph, before, optimized);
            if (mismatch != null && mismatch(graph, before, Interpreter.run(graph, inputs)) != null) {
                System.out.printf("cleanup-skipped %s: nondeterministic outputs%n", label);
                return;
            }
            if (mismatch != null) fail(label + ": " + mismatch);
            System.out.printf("cleanup %-60s nodes %5d -> %5d%n", label, graph.nodes().size(), after.nodes().size());
        });
    }

    private static Map<String, RuntimeValue> inputs(Graph graph, Path dataDir, String pattern) {
        if (dataDir == null) return NumericalTwin.randomInputs(graph, new Random(7));
        Map<String, RuntimeValue> inputs = new HashMap<>();
        for (int k = 0; k < graph.inputs().size(); k++) {
            Value in = graph.inputs().get(k);
            Path file = dataDir.resolve(String.format(pattern, k));
            if (!Files.isRegularFile(file)) throw new UnsupportedOperationException("no input file " + file);
            inputs.put(in.name(), TensorFiles.read(file, in.type()));
        }
        return inputs;
    }

    /** What differs between two runs' outputs, or null when they agree (rtol 1e-4, atol 1e-5; equal infinities and NaNs agree). */
    private static String mismatch(Graph graph, Map<String, RuntimeValue> expected, Map<String, RuntimeValue> actual) {
        for (Value out : graph.outputs()) {
            String m = mismatch(out.name(), expected.get(out.name()), actual.get(out.name()));
            if (m != null) return m;
        }
        return null;
    }

    private static String mismatch(String what, RuntimeValue e, RuntimeValue a) {
        if (a == null) return "'" + what + "' is missing";
        return switch (e) {
            case Tensor te when a instanceof Tensor ta -> tensorMismatch(what, te, ta);
            case TensorSequence se when a instanceof TensorSequence sa -> {
                if (se.elements().size() != sa.elements().size()) yield "'" + what + "' has " + sa.elements().size() + " elements, expected " + se.elements().size();
                for (int i = 0; i < se.elements().size(); i++) {
                    String m = mismatch(what + "[" + i + "]", se.elements().get(i), sa.elements().get(i));
                    if (m != null) yield m;
                }
                yield null;
            }
            case OptionalValue oe when a instanceof OptionalValue oa -> {
                if (oe.isPresent() != oa.isPresent()) yield "'" + what + "' presence differs";
                yield oe.isPresent() ? mismatch(what, oe.element(), oa.element()) : null;
            }
            default -> "'" + what + "' is a " + a.getClass().getSimpleName() + ", expected " + e.getClass().getSimpleName();
        };
    }

    private static String tensorMismatch(String what, Tensor e, Tensor a) {
        if (e.dtype() != a.dtype() || !java.util.Arrays.equals(e.shape(), a.shape())) {
            return "'" + what + "' is " + a.type() + ", expected " + e.type();
        }
        for (int i = 0; i < e.size(); i++) {
            boolean equal = switch (e.dtype().kind()) {
                case STRING -> e.getString(i).equals(a.getString(i));
                case FLOAT, COMPLEX -> {
                    double x = e.getDouble(i);
                    double y = a.getDouble(i);
                    yield x == y || (Double.isNaN(x) && Double.isNaN(y)) || Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(x);
                }
                default -> e.getLong(i) == a.getLong(i);
            };
            if (!equal) return "'" + what + "' element " + i + " differs after the passes";
        }
        return null;
    }
}
