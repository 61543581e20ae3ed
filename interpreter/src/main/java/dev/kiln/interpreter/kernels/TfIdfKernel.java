package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TfIdfVectorizer: counts the pool's n-grams in each row. An n-gram of length n with skip s takes the items at
 * i, i+s+1, ..., i+(n-1)(s+1); every skip from 0 to max_skip_count is counted (unigrams once). The pool lists
 * n-grams level by level, level n starting at {@code ngram_counts[n-1]}; {@code ngram_indexes} maps the k-th pool
 * n-gram to its output column.
 */
final class TfIdfKernel {
    private TfIdfKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() != 1 && x.rank() != 2) throw ctx.fail("X must be 1D or 2D");
        int minN = (int) ctx.intAttr("min_gram_length", 1), maxN = (int) ctx.intAttr("max_gram_length", 1);
        int maxSkip = (int) ctx.intAttr("max_skip_count", 0);
        long[] counts = ctx.intsAttr("ngram_counts"), indexes = ctx.intsAttr("ngram_indexes");
        if (counts == null || indexes == null) throw ctx.fail("ngram_counts and ngram_indexes are required");
        List<Object> pool = new ArrayList<>();
        Attribute strings = ctx.attr("pool_strings");
        if (strings != null) pool.addAll(strings.asStrings());
        else for (long v : ctx.intsAttr("pool_int64s")) pool.add(v);
        Map<List<Object>, Integer> columns = new HashMap<>();
        int k = 0;
        for (int level = 0; level < counts.length; level++) {
            int n = level + 1;
            int start = (int) counts[level], end = level + 1 < counts.length ? (int) counts[level + 1] : pool.size();
            if (start > end || end > pool.size() || (end - start) % n != 0) throw ctx.fail("ngram_counts do not fit the pool");
            for (int p = start; p < end; p += n, k++) {
                if (k >= indexes.length) throw ctx.fail("ngram_indexes has fewer entries than the pool has n-grams");
                columns.put(List.copyOf(pool.subList(p, p + n)), (int) indexes[k]);
            }
        }
        int width = 0;
        for (long i : indexes) width = Math.max(width, (int) i + 1);
        int rows = x.rank() == 1 ? 1 : (int) x.dim(0), cols = (int) x.dim(x.rank() - 1);
        double[] out = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            Object[] row = new Object[cols];
            for (int c = 0; c < cols; c++) row[c] = x.dtype() == DType.STRING ? x.getString(r * cols + c) : (Object) x.getLong(r * cols + c);
            for (int n = minN; n <= maxN; n++) {
                for (int skip = 0; skip <= (n == 1 ? 0 : maxSkip); skip++) {
                    for (int i = 0; i + (n - 1) * (skip + 1) < cols; i++) {
                        List<Object> gram = new ArrayList<>(n);
                        for (int j = 0; j < n; j++) gram.add(row[i + j * (skip + 1)]);
                        Integer col = columns.get(gram);
                        if (col != null) out[r * width + col] += 1;
                    }
                }
            }
        }
        weigh(ctx, out, width);
        long[] shape = x.rank() == 1 ? new long[] {width} : new long[] {rows, width};
        return List.of(Tensor.ofDoubles(DType.F32, shape, out));
    }

    /** TF keeps counts; IDF replaces non-zero counts by the weight; TFIDF multiplies. */
    private static void weigh(KernelContext ctx, double[] out, int width) {
        String mode = ctx.stringAttr("mode", "TF");
        float[] weights = ctx.floatsAttr("weights");
        if (mode.equals("TF")) return;
        if (!mode.equals("IDF") && !mode.equals("TFIDF")) throw ctx.fail("unknown mode '" + mode + "'");
        for (int i = 0; i < out.length; i++) {
            double w = weights == null ? 1 : weights[i % width];
            out[i] = mode.equals("IDF") ? (out[i] > 0 ? w : 0) : out[i] * w;
        }
    }
}
