package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classic (scikit-learn style) ai.onnx.ml ops. The feature transforms are here; the linear and SVM models are in
 * {@link MlClassicLinearKernels} and {@link MlClassicSvmKernels}, the tree ensembles in {@link MlClassicTreeKernels}.
 */
public final class MlClassicKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.ofEntries(
                Map.entry("ai.onnx.ml:Scaler", MlClassicKernels::scaler),
                Map.entry("ai.onnx.ml:Normalizer", MlClassicKernels::normalizer),
                Map.entry("ai.onnx.ml:Imputer", MlClassicKernels::imputer),
                Map.entry("ai.onnx.ml:OneHotEncoder", MlClassicKernels::oneHotEncoder),
                Map.entry("ai.onnx.ml:CategoryMapper", MlClassicKernels::categoryMapper),
                Map.entry("ai.onnx.ml:FeatureVectorizer", MlClassicKernels::featureVectorizer),
                Map.entry("ai.onnx.ml:LinearClassifier", MlClassicLinearKernels::linearClassifier),
                Map.entry("ai.onnx.ml:LinearRegressor", MlClassicLinearKernels::linearRegressor),
                Map.entry("ai.onnx.ml:SVMClassifier", MlClassicSvmKernels::svmClassifier),
                Map.entry("ai.onnx.ml:SVMRegressor", MlClassicSvmKernels::svmRegressor),
                Map.entry("ai.onnx.ml:TreeEnsembleClassifier", MlClassicTreeKernels::classifier),
                Map.entry("ai.onnx.ml:TreeEnsembleRegressor", MlClassicTreeKernels::regressor));
    }

    /** The entry of a per-feature list for flat element {@code i} of a tensor whose last axis has {@code features}. */
    private static double perFeature(double[] values, int i, int features) {
        return values.length == 1 ? values[0] : values[i % features];
    }

    private static int lastAxis(KernelContext ctx, Tensor x, int attrLength, String attr) {
        int features = x.rank() == 0 ? 1 : (int) x.dim(x.rank() - 1);
        if (attrLength != 1 && attrLength != features) {
            throw ctx.fail(attr + " must have 1 entry or one per feature (" + features + "), got " + attrLength);
        }
        return features;
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }

    /** Y = (X - offset) * scale, per feature of the last axis. */
    private static List<RuntimeValue> scaler(KernelContext ctx) {
        Tensor x = ctx.input(0);
        float[] offsetAttr = ctx.floatsAttr("offset");
        float[] scaleAttr = ctx.floatsAttr("scale");
        if (offsetAttr == null || scaleAttr == null || offsetAttr.length != scaleAttr.length || offsetAttr.length == 0) {
            throw ctx.fail("offset and scale are required and must have the same length");
        }
        double[] offset = doubles(offsetAttr);
        double[] scale = doubles(scaleAttr);
        int features = lastAxis(ctx, x, offset.length, "offset");
        double[] in = x.toDoubles();
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (in[i] - perFeature(offset, i, features)) * perFeature(scale, i, features);
        }
        return List.of(Tensor.ofDoubles(DType.F32, x.shape(), out));
    }

    /**
     * Divides each row (the last axis) by its max |x| (MAX), sum |x| (L1) or Euclidean norm (L2); rows whose divisor is
     * zero pass unchanged. Magnitudes are used for MAX and L1, as scikit-learn and the ONNX reference do.
     */
    private static List<RuntimeValue> normalizer(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() != 1 && x.rank() != 2) throw ctx.fail("X must be [N, C] or [C], got rank " + x.rank());
        String norm = ctx.stringAttr("norm", "MAX");
        int width = (int) x.dim(x.rank() - 1);
        double[] v = x.toDoubles();
        for (int start = 0; start < v.length; start += width) {
            double divisor = 0;
            for (int i = start; i < start + width; i++) {
                divisor = switch (norm) {
                    case "MAX" -> Math.max(divisor, Math.abs(v[i]));
                    case "L1" -> divisor + Math.abs(v[i]);
                    case "L2" -> divisor + v[i] * v[i];
                    default -> throw ctx.fail("norm must be MAX, L1 or L2, got '" + norm + "'");
                };
            }
            if (norm.equals("L2")) divisor = Math.sqrt(divisor);
            if (divisor != 0) for (int i = start; i < start + width; i++) v[i] /= divisor;
        }
        return List.of(Tensor.ofDoubles(DType.F32, x.shape(), v));
    }

    /** Replaces elements equal to the replaced value (NaN matches NaN) with the imputed value of their feature. */
    private static List<RuntimeValue> imputer(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor y = x.copy();
        if (x.dtype().isFloat()) {
            float[] values = ctx.floatsAttr("imputed_value_floats");
            if (values == null || values.length == 0) throw ctx.fail("imputed_value_floats is required for " + x.dtype() + " input");
            double[] imputed = doubles(values);
            int features = lastAxis(ctx, x, imputed.length, "imputed_value_floats");
            double replaced = ctx.floatAttr("replaced_value_float", 0f);
            for (int i = 0; i < x.size(); i++) {
                double v = x.getDouble(i);
                if (v == replaced || Double.isNaN(replaced) && Double.isNaN(v)) y.setDouble(i, perFeature(imputed, i, features));
            }
        } else {
            long[] imputed = ctx.intsAttr("imputed_value_int64s");
            if (imputed == null || imputed.length == 0) throw ctx.fail("imputed_value_int64s is required for " + x.dtype() + " input");
            int features = lastAxis(ctx, x, imputed.length, "imputed_value_int64s");
            long replaced = ctx.intAttr("replaced_value_int64", 0);
            for (int i = 0; i < x.size(); i++) {
                if (x.getLong(i) == replaced) y.setLong(i, imputed.length == 1 ? imputed[0] : imputed[i % features]);
            }
        }
        return List.of(y);
    }

    /**
     * One-hot rows over the categories, on a new last axis. Numeric inputs are cast to int64 (truncating) and looked
     * up in cats_int64s; unknown values give all zeros, or fail when zeros=0.
     */
    private static List<RuntimeValue> oneHotEncoder(KernelContext ctx) {
        Tensor x = ctx.input(0);
        boolean strings = x.dtype() == DType.STRING;
        List<Object> cats = new ArrayList<>();
        if (strings && ctx.attr("cats_strings") != null) cats.addAll(ctx.attr("cats_strings").asStrings());
        if (!strings && ctx.intsAttr("cats_int64s") != null) for (long c : ctx.intsAttr("cats_int64s")) cats.add(c);
        if (cats.isEmpty()) throw ctx.fail((strings ? "cats_strings" : "cats_int64s") + " is required for " + x.dtype() + " input");
        Map<Object, Integer> index = new HashMap<>();
        for (Object c : cats) index.putIfAbsent(c, index.size());
        int categories = cats.size();
        boolean zeros = ctx.intAttr("zeros", 1) != 0;
        long[] shape = java.util.Arrays.copyOf(x.shape(), x.rank() + 1);
        shape[x.rank()] = categories;
        double[] out = new double[Math.multiplyExact(x.size(), categories)];
        for (int i = 0; i < x.size(); i++) {
            Object key = strings ? x.getString(i) : categoryKey(x, i);
            Integer hot = key == null ? null : index.get(key);
            if (hot != null) out[i * categories + hot] = 1;
            else if (!zeros) throw ctx.fail("value " + (strings ? "'" + key + "'" : describe(x, i)) + " is not a category (zeros=0)");
        }
        return List.of(Tensor.ofDoubles(DType.F32, shape, out));
    }

    /** Element {@code i} cast to int64, or null for NaN (which matches no category). */
    private static Long categoryKey(Tensor x, int i) {
        if (!x.dtype().isFloat()) return x.getLong(i);
        double v = x.getDouble(i);
        return Double.isNaN(v) ? null : (long) v;
    }

    private static String describe(Tensor x, int i) {
        return x.dtype().isFloat() ? String.valueOf(x.getDouble(i)) : String.valueOf(x.getLong(i));
    }

    /** Maps strings to int64s or int64s to strings through the paired category lists, with a default for misses. */
    private static List<RuntimeValue> categoryMapper(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] ints = ctx.intsAttr("cats_int64s");
        List<String> strings = ctx.attr("cats_strings") == null ? List.of() : ctx.attr("cats_strings").asStrings();
        if ((ints == null ? 0 : ints.length) != strings.size()) throw ctx.fail("cats_int64s and cats_strings must have the same length");
        Tensor y;
        if (x.dtype() == DType.STRING) {
            Map<String, Long> map = new HashMap<>();
            for (int i = 0; i < strings.size(); i++) map.putIfAbsent(strings.get(i), ints[i]);
            long fallback = ctx.intAttr("default_int64", -1);
            y = Tensor.zeros(DType.I64, x.shape());
            for (int i = 0; i < x.size(); i++) y.setLong(i, map.getOrDefault(x.getString(i), fallback));
        } else {
            Map<Long, String> map = new HashMap<>();
            for (int i = 0; i < strings.size(); i++) map.putIfAbsent(ints[i], strings.get(i));
            String fallback = ctx.stringAttr("default_string", "_Unused");
            y = Tensor.zeros(DType.STRING, x.shape());
            for (int i = 0; i < x.size(); i++) y.setString(i, map.getOrDefault(x.getLong(i), fallback));
        }
        return List.of(y);
    }

    /**
     * Concatenates the inputs' rows: input k contributes inputdimensions[k] columns, truncated or zero-padded. A 1D
     * input is one row; trailing axes of higher ranks are flattened into columns.
     */
    private static List<RuntimeValue> featureVectorizer(KernelContext ctx) {
        long[] widths = ctx.intsAttr("inputdimensions");
        if (widths == null || widths.length != ctx.inputCount()) {
            throw ctx.fail("inputdimensions must have one entry per input (" + ctx.inputCount() + ")");
        }
        int rows = -1;
        long total = 0;
        for (int k = 0; k < ctx.inputCount(); k++) {
            Tensor t = ctx.input(k);
            if (widths[k] < 0) throw ctx.fail("inputdimensions must not be negative, got " + widths[k]);
            int r = t.rank() <= 1 ? 1 : (int) t.dim(0);
            if (rows >= 0 && r != rows) throw ctx.fail("input " + k + " has " + r + " rows, input 0 has " + rows);
            rows = r;
            total += widths[k];
        }
        double[] out = new double[Math.multiplyExact(rows, Math.toIntExact(total))];
        int column = 0;
        for (int k = 0; k < ctx.inputCount(); k++) {
            Tensor t = ctx.input(k);
            double[] in = t.toDoubles();
            int stride = rows == 0 ? 0 : in.length / rows;
            int copied = (int) Math.min(stride, widths[k]);
            for (int r = 0; r < rows; r++) System.arraycopy(in, r * stride, out, r * (int) total + column, copied);
            column += (int) widths[k];
        }
        return List.of(Tensor.ofDoubles(DType.F32, new long[] {rows, total}, out));
    }
}
