package dev.kiln.cli;

import dev.kiln.passes.OptLevel;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kiln compile}: optimizes and compiles a model and saves the result as an artifact, which {@code kiln run},
 * {@code kiln bench} and {@code Kiln.load} run without the importer, the passes or a Java compiler.
 */
@Command(name = "compile", description = "Optimize and compile a model into an artifact (.kiln) that runs without recompiling.")
final class CompileCommand extends CommandBase implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.onnx).")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.kiln", required = true, description = "Where to write the artifact.")
    Path output;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME",
            description = "The device to compile for (see 'kiln devices'); default: the fastest that runs the whole model.")
    String device;

    @Mixin
    OptimizationOptions optimization;

    @Override
    public Integer call() {
        requireFile(model, "model");
        Model loaded = Kiln.load(model);
        if (loaded.artifact() != null) throw usage("model " + model + " is already a compiled artifact");
        OptLevel level = optimization.level(OptLevel.O2);
        Model optimized = optimization.optimize(loaded, OptLevel.O2, err());
        CompiledModel compiled = optimized.compile(optimization.compileOptions(CompileOptions.defaults().withDevice(knownDevice(device)), optimized));
        long bytes = compiled.save(output, Map.of("opt_level", level.toString(), "source", model.getFileName().toString()));
        PrintWriter out = out();
        out.println("device: " + compiled.device() + " (" + compiled.placement() + ")");
        out.printf("wrote %s: %d bytes (%s, %d nodes, %d kernels, arena %d bytes)%n", output, bytes, level,
                compiled.graph().nodes().size(), compiled.compiledKernels().size(), compiled.arenaBytes());
        return 0;
    }
}
