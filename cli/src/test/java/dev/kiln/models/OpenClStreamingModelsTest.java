package dev.kiln.models;

import dev.kiln.backend.opencl.OpenClBackend;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.plan.Specializer;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
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
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.spi.Executable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The OpenCL backend's streamed programs for real models (the digits example and the exported CNN, ResNet-style,
 * MobileNet-style and MLP models, optimized at -O2). No device here has pipes or channels, so: (a) the pipes
 * variant is syntax-checked as OpenCL C 2.0 by clang-15 (installed with PoCL, so present in CI; skipped where it
 * is absent, failing under {@code CI=true}); (b) the same source runs on PoCL with each pipe a global buffer as deep
 * as the whole tensor, and must match the reference backend — a check of each stream's order and data, not of
 * concurrency or deadlock-freedom under small depths; (c) the channels variant is syntax-checked by clang through
 * a stand-in header for the channel type and functions (valid OpenCL C apart from the channel type; not proof
 * that Intel's aoc accepts it).
 */
class OpenClStreamingModelsTest {
    private static final Path CLANG = Path.of("/usr/lib/llvm-15/bin/clang");
    private static final List<String> MODELS = List.of("cnn_bn", "resnet", "mobilenet", "mlp");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> streamedProgramsCompileAndMatchTheReference() {
        Path root = RepoRoot.find();
        Stream<Path[]> cases = Stream.concat(
                Stream.<Path[]>of(new Path[] {root.resolve("examples/digits/digits_cnn.onnx"), root.resolve("examples/digits/samples.npy")}),
                MODELS.stream().map(m -> new Path[] {root.resolve("models/" + m + "/model.onnx"), root.resolve("models/" + m + "/input_0.npy")}));
        return cases.flatMap(c -> {
            String name = c[0].getParent().getFileName().toString();
            return Stream.of(
                    DynamicTest.dynamicTest(name + " pipes: clang -cl-std=CL2.0", () -> syntax(c[0], c[1], Streaming.PIPES)),
                    DynamicTest.dynamicTest(name + " channels: clang with a channel stand-in", () -> syntax(c[0], c[1], Streaming.CHANNELS)),
                    DynamicTest.dynamicTest(name + " pipes as whole-tensor FIFOs on opencl vs ref", () -> fifo(c[0], c[1])));
        });
    }

    private void syntax(Path modelFile, Path inputFile, Streaming mode) throws IOException, InterruptedException {
        if (!Files.isExecutable(CLANG)) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError(CLANG + " missing under CI=true (it comes with pocl-opencl-icd)");
            Assumptions.abort(CLANG + " is not installed");
        }
        Map<String, Tensor> feed = feed(modelFile, inputFile);
        Graph graph = optimized(Kiln.load(modelFile).graph());
        ProgramPlan plan = ProgramPlan.render(Specializer.bind(graph, feed), RenderOptions.defaults(64 * 1024).withStreaming(mode));
        assertFalse(plan.streams().isEmpty(), "nothing streams in " + modelFile);
        long stages = plan.launches().stream().mapToInt(ProgramPlan.Launch::stage).distinct().count();
        System.out.println(modelFile.getParent().getFileName() + " " + mode + ": " + plan.streams().size() + " values streamed among "
                + plan.launches().size() + " kernels in " + stages + " stages");
        Path source = dir.resolve(mode + ".cl");
        Files.writeString(source, plan.source());
        List<String> command = new java.util.ArrayList<>(List.of(CLANG.toString(), "-x", "cl", "-cl-std=CL2.0", "-Xclang",
                "-finclude-default-header", "-fsyntax-only"));
        if (mode == Streaming.CHANNELS) {
            Path compat = dir.resolve("intel_channels_compat.h");
            try (var in = getClass().getResourceAsStream("/opencl/intel_channels_compat.h")) {
                Files.write(compat, in.readAllBytes());
            }
            command.addAll(List.of("-include", compat.toString()));
        }
        command.add(source.toString());
        Process clang = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(clang.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!clang.waitFor(120, TimeUnit.SECONDS)) clang.destroyForcibly();
        assertEquals(0, clang.exitValue(), mode + " variant of " + modelFile + " does not parse:\n" + log);
    }

    private static void fifo(Path modelFile, Path inputFile) throws IOException {
        boolean available = Backends.byName("opencl").devices().stream().anyMatch(d -> d.available());
        if (!available && "true".equals(System.getenv("CI"))) throw new AssertionError("no OpenCL device under CI=true");
        Assumptions.assumeTrue(available, "no OpenCL device on this machine");
        Model imported = Kiln.load(modelFile);
        Map<String, Tensor> feed = feed(modelFile, inputFile);
        Map<String, Tensor> expected;
        try (Session session = imported.compile(CompileOptions.defaults().withDevice("ref")).newSession()) {
            expected = session.run(feed);
        }
        Graph graph = optimized(imported.graph());
        OpenClBackend backend = new OpenClBackend();
        RenderOptions options = RenderOptions.defaults(64 * 1024).withStreaming(Streaming.PIPES_AS_FIFO);
        Executable executable = backend.compile(graph, CompileOptions.defaults(), options);
        Map<String, dev.kiln.ir.tensor.RuntimeValue> actual;
        try (Executable.Runner runner = executable.newRunner()) {
            actual = runner.run(new LinkedHashMap<>(feed));
        }
        assertFalse(executable.kernels().stream().noneMatch(k -> k.kernel().contains(" via stream")), "nothing streams in " + modelFile);
        for (Value out : graph.outputs()) {
            System.out.println(Closeness.assertClose(modelFile.getParent().getFileName() + " streamed output '" + out.name()
                    + "' vs ref", expected.get(out.name()), (Tensor) actual.get(out.name())));
        }
    }

    private static Map<String, Tensor> feed(Path modelFile, Path inputFile) throws IOException {
        Map<String, Tensor> feed = new LinkedHashMap<>();
        feed.put(Kiln.load(modelFile).graph().inputs().getFirst().name(), Npy.read(inputFile));
        return feed;
    }

    private static Graph optimized(Graph graph) {
        return PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(Writer.nullWriter()))
                .run(graph, new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference())).graph();
    }
}
