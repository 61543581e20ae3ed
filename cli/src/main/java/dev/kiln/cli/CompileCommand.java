package dev.kiln.cli;

import dev.kiln.backend.opencl.offline.FpgaEmitter;
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
 * {@code kiln bench} and {@code Kiln.load} run without the importer, the passes or a Java compiler; or, with
 * {@code --target} and {@code --emit-dir}, writes what the offline OpenCL/FPGA flow builds a device binary from.
 */
@Command(name = "compile", description = "Optimize and compile a model into an artifact (.kiln) that runs without recompiling, "
        + "or into an emit dir for the offline OpenCL/FPGA flow (--target, --emit-dir).")
final class CompileCommand extends CommandBase implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.onnx).")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.kiln", description = "Where to write the artifact (not with --emit-dir).")
    Path output;

    @Option(names = "--target", paramLabel = "TARGET", description = "With --emit-dir: fpga:<part> (the vendor's build script) "
            + "or opencl (this machine's OpenCL device, its binary built now).")
    String target;

    @Option(names = "--emit-dir", paramLabel = "DIR", description = "Write the OpenCL kernels, host manifest, weights and the "
            + "target's build files to DIR instead of an artifact.")
    Path emitDir;

    @Option(names = "--objective", paramLabel = "throughput|latency",
            description = "With --target fpga:<part>: what the design-space exploration of unroll factors optimizes (default: throughput).")
    String objective;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME",
            description = "The device to compile for (see 'kiln devices'); default: the fastest that runs the whole model.")
    String device;

    @Mixin
    OptimizationOptions optimization;

    @Override
    public Integer call() {
        requireFile(model, "model");
        if (emitDir != null || target != null) return emit();
        if (output == null) throw usage("missing -o FILE.kiln (or --target and --emit-dir for the offline flow)");
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

    /** The offline flow: optimized as for an artifact, then rendered for the target into the emit dir. */
    private int emit() {
        if (emitDir == null || target == null) throw usage("--target and --emit-dir go together");
        if (output != null || device != null) throw usage("--emit-dir writes no artifact: -o and --device do not apply (the target is --target)");
        if (objective != null && !target.startsWith("fpga:")) throw usage("--objective applies to --target fpga:<part> only");
        Model optimized = optimization.optimize(Kiln.load(model), OptLevel.O2, err());
        PrintWriter out = out();
        FpgaEmitter.Emitted emitted = OfflineFlow.emit(optimized.graph(), target, objective == null ? "throughput" : objective,
                emitDir, this::usage, out);
        out.printf("wrote %s: %s (%d kernels, %d weight bytes, graph %s)%n", emitDir, String.join(", ",
                emitted.files().stream().map(f -> f.getFileName().toString()).toList()), emitted.manifest().kernels().size(),
                emitted.manifest().weights().bytes(), emitted.manifest().graphHash());
        return 0;
    }
}
