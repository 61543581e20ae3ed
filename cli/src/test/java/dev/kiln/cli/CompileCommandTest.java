package dev.kiln.cli;

import dev.kiln.cli.json.Json;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;
import dev.kiln.passes.OptLevel;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.TensorFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln compile} and running what it wrote: on the digits CNN and every model in {@code models/}, the artifact's
 * outputs equal, bit for bit, those of the same model optimized and compiled in this process.
 */
class CompileCommandTest {
    static final Path ROOT = repoRoot();
    private static final Path DIGITS = ROOT.resolve("examples/digits/digits_cnn.onnx");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> artifactsRunLikeTheModelCompiledInProcess() throws IOException {
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> models = Files.walk(ROOT.resolve("models"), 2)) {
            models.filter(d -> Files.isRegularFile(d.resolve("model.onnx")) && Files.isRegularFile(d.resolve("input_0.npy")))
                    .sorted().forEach(folders::add);
        }
        assertTrue(folders.size() >= 20, "models/ holds the exported test models: " + folders);
        return folders.stream().map(d -> DynamicTest.dynamicTest(ROOT.resolve("models").relativize(d).toString(), () -> {
            Map<String, RuntimeValue> inputs = new LinkedHashMap<>();
            Graph graph = Kiln.load(d.resolve("model.onnx")).graph();
            for (int i = 0; i < graph.inputs().size(); i++) {
                inputs.put(graph.inputs().get(i).name(), TensorFiles.read(d.resolve("input_" + i + ".npy"), graph.inputs().get(i).type()));
            }
            assertSameOutputs(d.resolve("model.onnx"), inputs);
        }));
    }

    @Test
    void digitsCnnArtifactRunsLikeTheModelCompiledInProcess() {
        Graph graph = Kiln.load(DIGITS).graph();
        RuntimeValue samples = TensorFiles.read(ROOT.resolve("examples/digits/samples.npy"), graph.inputs().getFirst().type());
        assertSameOutputs(DIGITS, Map.of(graph.inputs().getFirst().name(), samples));
    }

    private void assertSameOutputs(Path onnx, Map<String, RuntimeValue> inputs) {
        Path artifact = dir.resolve(onnx.getParent().getFileName() + ".kiln");
        Cli r = Cli.run("compile", onnx.toString(), "-o", artifact.toString(), "--device", "cpu");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("wrote " + artifact + ": "), r.out());

        Model loaded = Kiln.load(artifact);
        CompiledModel fromArtifact = loaded.compile(CompileOptions.defaults());
        assertEquals("cpu", fromArtifact.device());
        Model optimized = new OptimizationOptions().optimize(Kiln.load(onnx), OptLevel.O2, new PrintWriter(new StringWriter()));
        CompiledModel inProcess = optimized.compile(new OptimizationOptions().compileOptions(CompileOptions.defaults().withDevice("cpu"), optimized));
        assertEquals(inProcess.arenaBytes(), fromArtifact.arenaBytes());
        assertEquals(inProcess.compiledKernels().size(), fromArtifact.compiledKernels().size());
        Map<String, RuntimeValue> expected = run(inProcess, inputs);
        Map<String, RuntimeValue> actual = run(fromArtifact, inputs);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, v) -> assertTrue(same(v, actual.get(name)), onnx + ": output " + name + " differs"));
    }

    private static Map<String, RuntimeValue> run(CompiledModel model, Map<String, RuntimeValue> inputs) {
        try (Session s = model.newSession()) {
            return s.runValues(inputs);
        }
    }

    /** Equal bit for bit (tensors), element by element (sequences, optionals). */
    static boolean same(RuntimeValue a, RuntimeValue b) {
        return switch (a) {
            case Tensor t -> b instanceof Tensor u && t.contentEquals(u);
            case TensorSequence s -> b instanceof TensorSequence u && s.elements().size() == u.elements().size()
                    && java.util.stream.IntStream.range(0, s.elements().size()).allMatch(i -> same(s.elements().get(i), u.elements().get(i)));
            case OptionalValue o -> b instanceof OptionalValue u && (o.element() == null ? u.element() == null
                    : u.element() != null && same(o.element(), u.element()));
        };
    }

    @Test
    void runAndBenchTakeAnArtifact() throws IOException {
        Path artifact = dir.resolve("digits.kiln");
        assertEquals(0, Cli.run("compile", DIGITS.toString(), "-o", artifact.toString(), "-O", "1").code());
        Cli run = Cli.run("run", artifact.toString(), "-i", ROOT.resolve("examples/digits/samples.npy").toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().startsWith("device: cpu (the artifact was compiled for device 'cpu')"), run.out());
        assertTrue(run.out().contains("argmax per row [2, 0, 4, 9,"), run.out());

        Path json = dir.resolve("bench.json");
        Cli bench = Cli.run("bench", artifact.toString(), "--warmup", "2", "--iterations", "20", "--json", json.toString());
        assertEquals(0, bench.code(), bench.toString());
        Map<?, ?> o = (Map<?, ?>) Json.parse(Files.readString(json));
        assertEquals(Files.size(artifact), o.get("artifact_bytes"));
        assertEquals("O1", o.get("opt_level"));

        Cli compare = Cli.run("bench", artifact.toString(), "--compare", "onnxruntime");
        assertEquals(2, compare.code(), compare.toString());
        assertTrue(compare.err().contains("--compare needs the ONNX model"), compare.err());
    }

    @Test
    void anArtifactRunsOnlyOnItsDevice() {
        Path artifact = dir.resolve("digits.kiln");
        assertEquals(0, Cli.run("compile", DIGITS.toString(), "-o", artifact.toString(), "--device", "ref").code());
        Cli r = Cli.run("run", artifact.toString(), "--device", "cpu", "-i", ROOT.resolve("examples/digits/samples.npy").toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(List.of("kiln run: " + artifact + ": the artifact was compiled for device 'ref', not 'cpu': compile the model again for that device"),
                r.errLines());
    }

    @Test
    void compilingAnArtifactIsAUsageError() {
        Path artifact = dir.resolve("digits.kiln");
        assertEquals(0, Cli.run("compile", DIGITS.toString(), "-o", artifact.toString()).code());
        Cli r = Cli.run("compile", artifact.toString(), "-o", dir.resolve("again.kiln").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("is already a compiled artifact"), r.err());
    }

    static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("examples/digits"))) return d;
        }
        throw new IllegalStateException("not inside the Kiln repository");
    }
}
