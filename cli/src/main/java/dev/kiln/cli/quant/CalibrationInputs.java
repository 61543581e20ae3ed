package dev.kiln.cli.quant;

import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.io.TensorFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Calibration (or evaluation) samples, read from {@code .npy} files whose sample axis is the input's batch axis
 * (its first dynamic dim, else axis 0).
 * <ul>
 *   <li>A one-input model takes one file, or a directory of them read in name order.</li>
 *   <li>A model with several inputs takes a directory holding one file per input, named after the input
 *       ({@code <name>.npy}, with {@code /} and {@code :} as {@code _}) or by position ({@code input_<k>.npy}, as the
 *       ONNX test data and {@code models/} name them), or a directory of such directories, read in name order. The
 *       files of one set hold the same number of samples.</li>
 * </ul>
 * The samples are cut into batches the model takes: its batch size when the batch dim is static, otherwise up to
 * {@link #MAX_BATCH} samples.
 */
public final class CalibrationInputs {
    static final int MAX_BATCH = 32;

    private CalibrationInputs() {}

    /** The sets of samples in {@code source}: each binds every graph input to a tensor of the same sample count. */
    public static List<Map<String, Tensor>> read(Path source, Graph graph) {
        if (graph.inputs().isEmpty()) throw new KilnException("calibration and evaluation data need a model with inputs");
        if (graph.inputs().size() == 1) {
            Value input = graph.inputs().getFirst();
            List<Map<String, Tensor>> sets = new ArrayList<>();
            for (Path f : Files.isDirectory(source) ? npyFiles(source) : List.of(source)) sets.add(Map.of(input.name(), readFor(f, input)));
            return sets;
        }
        if (!Files.isDirectory(source)) {
            throw new KilnException(source + ": the model has " + graph.inputs().size() + " inputs; give a directory with one .npy per input ("
                    + String.join(", ", graph.inputs().stream().map(v -> fileName(v.name())).toList()) + " or input_<k>.npy)");
        }
        List<Path> sets = listed(source).stream().filter(Files::isDirectory).toList();
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (Path set : sets.isEmpty() ? List.of(source) : sets) out.add(readSet(set, graph));
        return out;
    }

    /** How many samples {@code sets} hold. */
    public static long sampleCount(List<Map<String, Tensor>> sets, Graph graph) {
        Value first = graph.inputs().getFirst();
        return sets.stream().mapToLong(s -> s.get(first.name()).dim(sampleAxis(first))).sum();
    }

    /** Batches of {@code sets} the model's inputs accept, as input bindings. */
    public static List<Map<String, RuntimeValue>> batches(List<Map<String, Tensor>> sets, Graph graph) { return batches(sets, graph, MAX_BATCH); }

    /** Batches of {@code sets} the model's inputs accept, at most {@code maxBatch} samples where the batch is dynamic. */
    public static List<Map<String, RuntimeValue>> batches(List<Map<String, Tensor>> sets, Graph graph, int maxBatch) {
        Value first = graph.inputs().getFirst();
        TensorType type = first.tensorType();
        int axis = sampleAxis(first);
        boolean staticBatch = type.shape().hasRank() && type.shape().dim(axis).isStatic();
        int batch = staticBatch ? (int) type.shape().dim(axis).size() : maxBatch;
        List<Map<String, RuntimeValue>> out = new ArrayList<>();
        for (Map<String, Tensor> set : sets) {
            int samples = (int) set.get(first.name()).dim(axis);
            if (staticBatch && samples % batch != 0) {
                throw new KilnException("input '" + first.name() + "' takes batches of " + batch + ", the data holds " + samples + " samples");
            }
            for (int from = 0; from < samples; from += batch) {
                Map<String, RuntimeValue> bound = new LinkedHashMap<>();
                for (Value input : graph.inputs()) {
                    bound.put(input.name(), slice(set.get(input.name()), sampleAxis(input), from, Math.min(samples, from + batch)));
                }
                out.add(bound);
            }
        }
        return out;
    }

    /** Samples [from, to) of {@code t} along axis 0. */
    public static Tensor slice(Tensor t, int from, int to) { return slice(t, 0, from, to); }

    /** Samples [from, to) of {@code t} along {@code axis}. */
    static Tensor slice(Tensor t, int axis, int from, int to) {
        long[] shape = t.shape();
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= (int) shape[i];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= (int) shape[i];
        int length = (int) shape[axis];
        shape[axis] = to - from;
        Tensor out = Tensor.zeros(t.dtype(), shape);
        boolean floating = t.dtype().isFloat();
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = (o * length + from) * inner; i < (o * length + to) * inner; i++, k++) {
                if (floating) out.setDouble(k, t.getDouble(i));
                else out.setLong(k, t.getLong(i));
            }
        }
        return out;
    }

    /** The axis that numbers an input's samples: its first dynamic dim, else 0. */
    static int sampleAxis(Value input) {
        TensorType type = input.tensorType();
        if (!type.shape().hasRank()) return 0;
        for (int i = 0; i < type.shape().rank(); i++) if (!type.shape().dim(i).isStatic()) return i;
        return 0;
    }

    private static Map<String, Tensor> readSet(Path dir, Graph graph) {
        Map<String, Tensor> set = new LinkedHashMap<>();
        long samples = -1;
        for (int k = 0; k < graph.inputs().size(); k++) {
            Value input = graph.inputs().get(k);
            Path named = dir.resolve(fileName(input.name()));
            Path positional = dir.resolve("input_" + k + ".npy");
            Path file = Files.isRegularFile(named) ? named : positional;
            if (!Files.isRegularFile(file)) {
                throw new KilnException(dir + ": no data for input '" + input.name() + "': neither " + named.getFileName() + " nor " + positional.getFileName());
            }
            Tensor t = readFor(file, input);
            long n = t.dim(sampleAxis(input));
            if (samples >= 0 && n != samples) {
                throw new KilnException(file + ": " + n + " samples for input '" + input.name() + "', the other inputs' files hold " + samples);
            }
            samples = n;
            set.put(input.name(), t);
        }
        return set;
    }

    private static Tensor readFor(Path file, Value input) {
        if (!(TensorFiles.read(file, input.type()) instanceof Tensor t)) throw new KilnException(file + ": not a tensor");
        int rank = input.tensorType().shape().hasRank() ? input.tensorType().shape().rank() : t.rank();
        if (t.rank() != rank) throw new KilnException(file + ": " + t.type() + " does not match input '" + input.name() + "' " + input.type());
        return t;
    }

    private static String fileName(String inputName) { return inputName.replace('/', '_').replace(':', '_') + ".npy"; }

    private static List<Path> npyFiles(Path dir) {
        List<Path> files = listed(dir).stream().filter(p -> p.getFileName().toString().endsWith(".npy")).toList();
        if (files.isEmpty()) throw new KilnException(dir + ": no .npy files");
        return files;
    }

    private static List<Path> listed(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        } catch (IOException e) {
            throw new KilnException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
