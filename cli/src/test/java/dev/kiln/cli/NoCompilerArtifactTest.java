package dev.kiln.cli;

import dev.kiln.backend.cpu.CpuBackend;
import dev.kiln.cli.artifact.ArtifactDriver;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.artifact.Artifact;
import dev.kiln.runtime.artifact.ArtifactReader;
import dev.kiln.runtime.artifact.ArtifactWriter;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment promise of a saved artifact: it runs in a JVM whose class path holds only the {@code ir},
 * {@code runtime}, {@code interpreter} (the reference-kernel library {@code backend-cpu} depends on) and
 * {@code backend-cpu} jars, plus the one-class {@link ArtifactDriver}, started with {@code --limit-modules} so that
 * the {@code java.compiler} module (javac) is not even observable — no importer, no protobuf, no passes, no javac —
 * and gives the same outputs, bit for bit, as the model compiled in this process. {@code java.desktop} stays
 * observable because the interpreter's ImageDecoder kernel uses {@code javax.imageio}.
 *
 * <p>The modules' jars are those this test runs against when {@code mvn verify} has packaged them; where the class
 * path holds {@code target/classes} folders instead ({@code mvn test}), the test packs each folder into a jar first.
 */
class NoCompilerArtifactTest {
    private static final String MODULES = "java.base,jdk.incubator.vector,java.desktop";

    @TempDir
    Path dir;

    /** The transformer test model: its fused elementwise groups are generated kernels, so the artifact carries classes. */
    private static final Path TRANSFORMER = CompileCommandTest.ROOT.resolve("models/transformer");

    @Test
    void anArtifactRunsWithoutJavacOrThePassesAndMatchesTheInProcessModel() throws Exception {
        Model optimized = new OptimizationOptions().optimize(Kiln.load(TRANSFORMER.resolve("model.onnx")), OptLevel.O2,
                new PrintWriter(new StringWriter()));
        CompiledModel compiled = optimized.compile(new OptimizationOptions().compileOptions(CompileOptions.defaults().withDevice("cpu"), optimized));
        assertTrue(compiled.compiledKernels().size() >= 1, "the transformer's artifact holds generated kernels");
        Path artifact = dir.resolve("transformer.kiln");
        compiled.save(artifact, Map.of("opt_level", "O2"));
        Graph graph = compiled.graph();
        String input = graph.inputs().getFirst().name();
        Tensor x = Npy.read(TRANSFORMER.resolve("input_0.npy"));
        Map<String, Tensor> expected;
        try (Session s = compiled.newSession()) {
            expected = s.run(Map.of(input, x));
        }

        Path out = Files.createDirectories(dir.resolve("out"));
        Child child = runDriver(artifact, out, input + "=" + TRANSFORMER.resolve("input_0.npy"));
        assertEquals(0, child.code(), child.output());
        assertTrue(child.output().contains("java.compiler observable: false"), child.output());
        assertTrue(child.output().contains("device: cpu, kernels: " + compiled.compiledKernels().size()), child.output());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor got = Npy.read(out.resolve(e.getKey() + ".npy"));
            assertTrue(got.contentEquals(e.getValue()), "output " + e.getKey() + " differs from the in-process run");
        }
    }

    @Test
    void withoutItsKernelClassesTheArtifactCannotRunThere() throws Exception {
        Path full = dir.resolve("full.kiln");
        assertEquals(0, Cli.run("compile", TRANSFORMER.resolve("model.onnx").toString(), "-o", full.toString(), "--device", "cpu").code());
        Artifact a = ArtifactReader.read(full);
        Path stripped = dir.resolve("stripped.kiln");
        ArtifactWriter.write(stripped, new Artifact(a.graph(), a.device(), a.arenaBytes(), List.of(), a.kilnVersion(),
                a.javaFeatureVersion(), a.options()));
        Child child = runDriver(stripped, dir, a.graph().inputs().getFirst().name() + "=" + TRANSFORMER.resolve("input_0.npy"));
        assertEquals(1, child.code(), child.output());
        assertTrue(child.output().contains("is not precompiled and this Java has no compiler (module java.compiler)"), child.output());
    }

    private record Child(int code, String output) { }

    private Child runDriver(Path artifact, Path out, String input) throws Exception {
        List<String> classPath = new ArrayList<>();
        for (Class<?> c : List.of(Graph.class, Kiln.class, RefKernels.class, CpuBackend.class)) classPath.add(jarOf(c).toString());
        classPath.add(driverJar().toString());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", MODULES, "--add-modules", "jdk.incubator.vector",
                "-cp", String.join(java.io.File.pathSeparator, classPath),
                ArtifactDriver.class.getName(), artifact.toString(), out.toString(), input);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        return new Child(p.exitValue(), output);
    }

    /** The jar {@code c} was loaded from, or its classes folder packed into a jar. */
    private Path jarOf(Class<?> c) throws IOException, URISyntaxException {
        Path location = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(location)) return location;
        Path jar = dir.resolve(c.getSimpleName() + "-module.jar");
        try (Stream<Path> files = Files.walk(location)) {
            pack(jar, location, files.filter(Files::isRegularFile).toList());
        }
        return jar;
    }

    /** A jar holding only the driver's class. */
    private Path driverJar() throws IOException, URISyntaxException {
        Path root = Path.of(ArtifactDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("driver.jar");
        pack(jar, root, List.of(root.resolve(ArtifactDriver.class.getName().replace('.', '/') + ".class")));
        return jar;
    }

    private static void pack(Path jar, Path root, List<Path> files) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            for (Path f : files) {
                out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
    }
}
