package dev.kiln.cli.artifact;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a deployed program does with an artifact, using only the runtime's API: {@code ArtifactDriver FILE.kiln
 * OUT_DIR NAME=IN.npy...} loads the artifact, runs it once and writes each output to {@code OUT_DIR/<name>.npy}.
 * {@link NoCompilerArtifactTest} runs it in a JVM that has no Java compiler, importer or passes.
 */
public final class ArtifactDriver {
    private ArtifactDriver() {}

    public static void main(String[] args) throws Exception {
        System.out.println("java.compiler observable: " + ModuleLayer.boot().findModule("java.compiler").isPresent());
        CompiledModel compiled = Kiln.load(Path.of(args[0])).compile(dev.kiln.runtime.CompileOptions.defaults());
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            inputs.put(args[i].substring(0, eq), Npy.read(Path.of(args[i].substring(eq + 1))));
        }
        try (Session session = compiled.newSession()) {
            for (Map.Entry<String, Tensor> e : session.run(inputs).entrySet()) {
                Npy.write(Path.of(args[1]).resolve(e.getKey() + ".npy"), e.getValue());
            }
        }
        System.out.println("device: " + compiled.device() + ", kernels: " + compiled.compiledKernels().size());
    }
}
