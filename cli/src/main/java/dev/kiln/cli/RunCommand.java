package dev.kiln.cli;

import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.spi.KernelChoice;
import dev.kiln.runtime.io.TensorFiles;
import dev.kiln.passes.OptLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kiln run}: runs a model once on input files and prints (and optionally saves) its outputs. */
@Command(name = "run", description = "Run a model on input files (.npy or .pb) and print its outputs.")
final class RunCommand extends CommandBase implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.onnx), or an artifact from 'kiln compile' (.kiln).")
    Path model;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE",
            description = "An input value: NAME=FILE, or just FILE for a model with one input. Repeat for more inputs.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
            description = "Write each output to DIR/<output name>.npy (sequences and optionals as .pb).")
    Path outputDir;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME",
            description = "The device to run on (see 'kiln devices'); default: the fastest that runs the whole model.")
    String device;

    @Option(names = "--binary", paramLabel = "FILE", description = "Run this prebuilt device binary (.aocx, .xclbin, kiln.<device>.bin "
            + "from 'kiln compile --emit-dir') instead of building the kernels; its manifest NAME.manifest.json lies beside it.")
    Path binary;

    @Mixin
    OptimizationOptions optimization;

    @Override
    public Integer call() {
        requireFile(model, "model");
        InputBindings bindings = InputBindings.parse(inputs, this::usage);
        CompileOptions options = CompileOptions.defaults().withDevice(knownDevice(device));
        if (binary != null) {
            requireFile(binary, "binary");
            if (device == null) throw usage("--binary needs --device, the device it was built for (e.g. --device opencl)");
            options = options.withDeviceBinary(binary);
        }
        Model optimized = optimization.optimize(Kiln.load(model), OptLevel.O2, err());
        CompiledModel compiled = optimized.compile(optimization.compileOptions(options, optimized));
        Map<String, RuntimeValue> values = bindings.read(compiled.graph());
        Map<String, RuntimeValue> results;
        try (Session session = compiled.newSession()) {
            results = session.runValues(values);
        }
        PrintWriter out = out();
        out.println("device: " + compiled.device() + " (" + compiled.placement() + ")");
        if (optimization.explain) {
            for (KernelChoice k : compiled.kernels()) {
                out.println("kernel " + k.node() + " (" + k.op() + "): " + k.kernel());
            }
        }
        String memory = OptimizationOptions.memorySummary(optimized);
        if (memory != null) out.println(memory);
        OutputFileNames names = new OutputFileNames();
        for (Map.Entry<String, RuntimeValue> e : results.entrySet()) {
            RuntimeValue v = e.getValue();
            StringBuilder line = new StringBuilder(e.getKey()).append(": ").append(ValueFormat.type(v));
            if (v instanceof Tensor t) line.append("  ").append(ValueFormat.content(t));
            if (outputDir != null) line.append("  -> ").append(save(names, e.getKey(), v));
            out.println(line);
        }
        return 0;
    }

    private Path save(OutputFileNames names, String name, RuntimeValue value) {
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new KilnException(outputDir + ": cannot create the output directory: " + e.getMessage(), e);
        }
        Path file = outputDir.resolve(names.fileName(name, value instanceof Tensor ? ".npy" : ".pb"));
        TensorFiles.write(file, value);
        return file;
    }
}
