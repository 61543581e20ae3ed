package dev.kiln.bench;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The inputs a benchmark cycles through: batches cut from a samples file (with their labels when given), or seeded
 * random tensors shaped by the model's inputs. Several distinct feeds are prepared, so no runtime can win by caching
 * one answer; both runtimes get the very same tensors.
 */
public final class BenchInputs {
    /** Random feeds prepared when no samples file is given. */
    static final int RANDOM_FEEDS = 8;

    private final List<Map<String, Tensor>> feeds;
    private final List<long[]> labels;
    private final int batch;

    private BenchInputs(List<Map<String, Tensor>> feeds, List<long[]> labels, int batch) {
        this.feeds = List.copyOf(feeds);
        this.labels = labels;
        this.batch = batch;
    }

    public List<Map<String, Tensor>> feeds() { return feeds; }

    public int batch() { return batch; }

    /** The labels of feed {@code i}'s samples, or null without a labels file. */
    public long[] labels(int i) { return labels == null ? null : labels.get(i); }

    public boolean hasLabels() { return labels != null; }

    /**
     * Seeded uniform values in [-1, 1) for floats and [0, 10) for integers; a symbolic leading dim becomes {@code
     * batch}, and so does the same symbol at another axis (a recurrent model's initial state {@code [2,batch,24]}).
     */
    public static BenchInputs random(Graph graph, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        java.util.Set<String> batchSymbols = new java.util.HashSet<>();
        for (Value input : graph.inputs()) {
            Shape s = tensorType(input).shape();
            if (s.rank() > 0 && s.dim(0).isSymbolic()) batchSymbols.add(s.dim(0).symbol());
        }
        List<Map<String, Tensor>> feeds = new ArrayList<>();
        for (int f = 0; f < RANDOM_FEEDS; f++) {
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (Value input : graph.inputs()) {
                TensorType type = tensorType(input);
                Tensor t = Tensor.zeros(type.dtype(), shape(input.name(), type.shape(), batch, batchSymbols));
                for (int i = 0; i < t.size(); i++) {
                    if (type.dtype().isFloat()) t.setDouble(i, random.nextDouble(-1, 1));
                    else if (type.dtype() == DType.BOOL) t.setLong(i, random.nextInt(2));
                    else t.setLong(i, random.nextInt(10));
                }
                feed.put(input.name(), t);
            }
            feeds.add(feed);
        }
        return new BenchInputs(feeds, null, batch);
    }

    /**
     * Batches of {@code batch} consecutive samples of {@code samples} (N samples along axis 0) for a one-input model;
     * {@code labels} (N integers) may be null. A tail shorter than a batch is left out.
     */
    public static BenchInputs fromSamples(Graph graph, Tensor samples, Tensor labels, int batch, String file) {
        if (graph.inputs().size() != 1) {
            throw new KilnException(file + ": --inputs takes one samples file, but the model has " + graph.inputs().size() + " inputs");
        }
        Value input = graph.inputs().getFirst();
        TensorType type = tensorType(input);
        long n = samples.rank() == 0 ? 0 : samples.dim(0);
        if (n < batch) throw new KilnException(file + ": " + n + " samples, fewer than one batch of " + batch);
        if (labels != null && (labels.rank() != 1 || labels.dim(0) != n || !labels.dtype().isInteger())) {
            throw new KilnException("labels " + labels.type() + " do not match " + n + " samples: need N integer labels");
        }
        long[] shape = shape(input.name(), type.shape(), batch, java.util.Set.of());
        long[] sampleShape = samples.shape();
        sampleShape[0] = batch;
        if (!java.util.Arrays.equals(shape, sampleShape) || samples.dtype() != type.dtype()) {
            throw new KilnException(file + ": batches of " + type.dtype() + Shape.format(sampleShape) + " do not fit input '"
                    + input.name() + "' " + type.dtype() + Shape.format(shape));
        }
        int perBatch = Tensor.checkedSize(shape);
        List<Map<String, Tensor>> feeds = new ArrayList<>();
        List<long[]> batchLabels = labels == null ? null : new ArrayList<>();
        for (int b = 0; b < n / batch; b++) {
            Tensor t = Tensor.zeros(type.dtype(), shape);
            for (int i = 0; i < perBatch; i++) t.setDouble(i, samples.getDouble(b * perBatch + i));
            feeds.add(Map.of(input.name(), t));
            if (labels != null) {
                long[] l = new long[batch];
                for (int i = 0; i < batch; i++) l[i] = labels.getLong(b * batch + i);
                batchLabels.add(l);
            }
        }
        return new BenchInputs(feeds, batchLabels, batch);
    }

    private static TensorType tensorType(Value input) {
        if (input.type() instanceof TensorType t && t.shape().hasRank()) return t;
        throw new KilnException("input '" + input.name() + "' is " + input.type() + ": the benchmark needs tensor inputs of known rank");
    }

    /** The concrete shape: static dims as declared, a symbolic or unknown leading dim, or one of {@code batchSymbols}, as the batch. */
    static long[] shape(String name, Shape declared, int batch, java.util.Set<String> batchSymbols) {
        long[] shape = new long[declared.rank()];
        boolean batched = false;
        for (int i = 0; i < shape.length; i++) {
            Dim d = declared.dim(i);
            if (d.isStatic()) {
                shape[i] = d.size();
            } else if (i == 0 || (d.isSymbolic() && batchSymbols.contains(d.symbol()))) {
                shape[i] = batch;
                batched = true;
            } else {
                throw new KilnException("input '" + name + "' has a dynamic dim " + d + " at axis " + i
                        + ": give --inputs with real data of the shape to measure");
            }
        }
        if (batch != 1 && !batched) {
            throw new KilnException("input '" + name + "' has the fixed shape " + declared + ": --batch " + batch
                    + " needs a model whose leading dim is symbolic");
        }
        return shape;
    }
}
