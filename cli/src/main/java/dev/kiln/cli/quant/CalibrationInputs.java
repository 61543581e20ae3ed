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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Calibration (or evaluation) samples for a one-input model: a {@code .npy} file whose first axis is the sample
 * axis, or a directory of such files read in name order. They are cut into batches the model takes: its batch size
 * when the first dim is static, otherwise up to {@link #MAX_BATCH} samples.
 */
public final class CalibrationInputs {
    static final int MAX_BATCH = 32;

    private CalibrationInputs() {}

    /** Every sample in {@code source}, stacked along the first axis. */
    public static List<Tensor> read(Path source, Graph graph) {
        Value input = onlyInput(graph);
        List<Path> files;
        if (Files.isDirectory(source)) {
            try (Stream<Path> list = Files.list(source)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
            } catch (IOException e) {
                throw new KilnException(source + ": cannot list: " + e.getMessage(), e);
            }
            if (files.isEmpty()) throw new KilnException(source + ": no .npy files");
        } else {
            files = List.of(source);
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Path f : files) {
            if (!(TensorFiles.read(f, input.type()) instanceof Tensor t)) throw new KilnException(f + ": not a tensor");
            int rank = input.tensorType().shape().hasRank() ? input.tensorType().shape().rank() : t.rank();
            if (t.rank() != rank) throw new KilnException(f + ": " + t.type() + " does not match input '" + input.name() + "' " + input.type());
            tensors.add(t);
        }
        return tensors;
    }

    /** Batches of {@code tensors} the model's input accepts, as input bindings. */
    public static List<Map<String, RuntimeValue>> batches(List<Tensor> tensors, Graph graph) {
        Value input = onlyInput(graph);
        TensorType type = input.tensorType();
        boolean staticBatch = type.shape().hasRank() && type.shape().dim(0).isStatic();
        int batch = staticBatch ? (int) type.shape().dim(0).size() : MAX_BATCH;
        List<Map<String, RuntimeValue>> out = new ArrayList<>();
        for (Tensor t : tensors) {
            int samples = (int) t.dim(0);
            if (staticBatch && samples % batch != 0) {
                throw new KilnException("input '" + input.name() + "' takes batches of " + batch + ", the file holds " + samples + " samples");
            }
            for (int from = 0; from < samples; from += batch) out.add(Map.of(input.name(), slice(t, from, Math.min(samples, from + batch))));
        }
        return out;
    }

    /** Samples [from, to) of {@code t}. */
    public static Tensor slice(Tensor t, int from, int to) {
        long[] shape = t.shape();
        int per = t.size() / (int) shape[0];
        shape[0] = to - from;
        Tensor out = Tensor.zeros(t.dtype(), shape);
        boolean floating = t.dtype().isFloat();
        for (int i = 0; i < out.size(); i++) {
            if (floating) out.setDouble(i, t.getDouble(from * per + i));
            else out.setLong(i, t.getLong(from * per + i));
        }
        return out;
    }

    private static Value onlyInput(Graph graph) {
        if (graph.inputs().size() != 1) {
            throw new KilnException("calibration and evaluation data need a model with one input, this one has " + graph.inputs().size());
        }
        return graph.inputs().getFirst();
    }
}
