package dev.kiln.cli;

import dev.kiln.bench.WarmUp;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.TensorFiles;
import dev.kiln.passes.OptLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kiln demo}: classifies the digits example's samples one at a time on the fastest available device and
 * prints predictions, accuracy and latency. The model's folder holds {@code samples.npy} (N images) and
 * {@code labels.npy} (N int64 labels).
 */
@Command(name = "demo", description = "Classify the example handwritten digits and show accuracy and latency.")
final class DemoCommand extends CommandBase implements Callable<Integer> {
    static final String DEFAULT_MODEL = "examples/digits/digits_cnn.onnx";

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "A classifier with samples.npy and labels.npy beside it (default: " + DEFAULT_MODEL + " in the Kiln folder).")
    Path model;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME", description = "The device; default: the fastest that runs the model.")
    String device;

    @Option(names = {"-n", "--runs"}, paramLabel = "N", defaultValue = "100", description = "Warm runs to time (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    OptimizationOptions optimization;

    @Override
    public Integer call() {
        Path file = model != null ? requireFile(model, "model") : defaultModel();
        if (runs < 1) throw usage("--runs must be at least 1");
        CompileOptions options = CompileOptions.defaults().withDevice(knownDevice(device));
        Tensor samples = tensor(file.resolveSibling("samples.npy"));
        Tensor labels = tensor(file.resolveSibling("labels.npy"));
        if (samples.rank() < 1 || labels.rank() != 1 || samples.dim(0) != labels.dim(0)) {
            throw new KilnException("samples " + ValueFormat.type(samples) + " and labels " + ValueFormat.type(labels)
                    + " do not match: need N samples and N labels");
        }
        Model optimized = optimization.optimize(Kiln.load(file), OptLevel.O2, err());
        CompiledModel compiled = optimized.compile(optimization.compileOptions(options, optimized));
        Graph graph = compiled.graph();
        if (graph.inputs().size() != 1 || graph.outputs().isEmpty()) {
            throw new KilnException(file + ": the demo needs a model with one input, got " + graph.inputs().size());
        }
        String input = graph.inputs().getFirst().name();
        String output = graph.outputs().getFirst().name();
        int n = (int) samples.dim(0);
        PrintWriter out = out();
        out.println(file.getFileName() + " on device '" + compiled.device() + "': " + compiled.placement());
        out.println("sample  predicted  label");
        int correct = 0;
        long firstNanos = 0;
        try (Session session = compiled.newSession()) {
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                Tensor logits = session.run(Map.of(input, sample(samples, i))).get(output);
                if (i == 0) firstNanos = System.nanoTime() - start;
                int predicted = predicted(logits, output);
                long label = labels.getLong(i);
                if (predicted == label) correct++;
                out.printf(Locale.ROOT, "%6d  %9d  %5d  %s%n", i, predicted, label, predicted == label ? "✓" : "✗");
            }
            List<Map<String, Tensor>> feeds = new ArrayList<>();
            for (int i = 0; i < n; i++) feeds.add(Map.of(input, sample(samples, i)));
            // JIT-compiled kernels need many runs before they are fast: warm up as kiln bench does.
            WarmUp.run(i -> session.run(feeds.get(i % n)), -1);
            long[] warm = new long[runs];
            for (int r = 0; r < runs; r++) {
                Map<String, Tensor> feed = feeds.get(r % n);
                long start = System.nanoTime();
                session.run(feed);
                warm[r] = System.nanoTime() - start;
            }
            out.printf(Locale.ROOT, "accuracy: %d/%d (%.1f%%)%n", correct, n, 100.0 * correct / n);
            out.printf(Locale.ROOT, "latency (batch 1): first inference %d µs; warm mean %d µs, p50 %d µs over %d runs%n",
                    firstNanos / 1000, mean(warm) / 1000, median(warm) / 1000, runs);
        }
        out.println("device: " + compiled.device());
        return 0;
    }

    private Path defaultModel() {
        Path file = Path.of(System.getProperty("kiln.home", ".")).resolve(DEFAULT_MODEL);
        if (!Files.isRegularFile(file)) throw new KilnException("the demo model " + file + " is missing");
        return file;
    }

    private static Tensor tensor(Path file) {
        if (TensorFiles.read(file, null) instanceof Tensor t) return t;
        throw new KilnException(file + ": not a tensor");
    }

    /** Sample {@code i} of {@code all} as a batch of one. */
    static Tensor sample(Tensor all, int i) {
        long[] shape = all.shape();
        shape[0] = 1;
        Tensor one = Tensor.zeros(all.dtype(), shape);
        int size = one.size();
        for (int k = 0; k < size; k++) one.setDouble(k, all.getDouble(i * size + k));
        return one;
    }

    private static int predicted(Tensor logits, String output) {
        if (logits.rank() != 2 || logits.dim(0) != 1) {
            throw new KilnException("output '" + output + "' is " + ValueFormat.type(logits) + ", expected scores [1,classes]");
        }
        return ValueFormat.argmaxPerRow(logits).getFirst();
    }

    private static long mean(long[] nanos) { return (long) Arrays.stream(nanos).average().orElse(0); }

    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
