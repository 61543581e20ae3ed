package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ai.onnx.ml LabelEncoder and ArrayFeatureExtractor; TreeEnsemble lives in its own file. */
public final class MlKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("ai.onnx.ml:LabelEncoder", MlKernels::labelEncoder,
                "ai.onnx.ml:ArrayFeatureExtractor", MlKernels::arrayFeatureExtractor,
                "ai.onnx.ml:TreeEnsemble", TreeEnsembleKernel::run);
    }

    /** One attribute's entries as map keys: strings, longs, or doubles (NaN matches NaN, -0 matches 0). */
    private static List<Object> entries(Attribute a) {
        List<Object> out = new ArrayList<>();
        switch (a.kind()) {
            case STRINGS -> out.addAll(a.asStrings());
            case INTS -> { for (long v : a.asInts()) out.add(v); }
            case FLOATS -> { for (float v : a.asFloats()) out.add(key(v)); }
            case TENSOR -> {
                Tensor t = a.asTensor();
                for (int i = 0; i < t.size(); i++) out.add(element(t, i));
            }
            default -> throw new IllegalStateException("unexpected attribute kind " + a.kind());
        }
        return out;
    }

    private static Object element(Tensor t, int i) {
        if (t.dtype() == DType.STRING) return t.getString(i);
        if (t.dtype().isFloat()) return key(t.getDouble(i));
        return t.getLong(i);
    }

    private static Object key(double v) { return v + 0.0; }

    private static Attribute first(KernelContext ctx, String... names) {
        for (String n : names) if (ctx.node().hasAttribute(n)) return ctx.attr(n);
        return null;
    }

    private static List<RuntimeValue> labelEncoder(KernelContext ctx) {
        Tensor x = ctx.input(0);
        DType outType = ctx.outputType(0) instanceof dev.kiln.ir.TensorType t ? t.dtype() : null;
        Attribute keysAttr = first(ctx, "keys_tensor", "keys_strings", "keys_int64s", "keys_floats");
        Attribute valuesAttr = first(ctx, "values_tensor", "values_strings", "values_int64s", "values_floats");
        List<Object> keys, values;
        if (keysAttr == null && ctx.node().hasAttribute("classes_strings")) {
            // Opset 1: strings map to their index in classes_strings, indexes map back to strings.
            List<String> classes = ctx.attr("classes_strings").asStrings();
            keys = new ArrayList<>();
            values = new ArrayList<>();
            for (int i = 0; i < classes.size(); i++) {
                keys.add(x.dtype() == DType.STRING ? classes.get(i) : (Object) (long) i);
                values.add(x.dtype() == DType.STRING ? (Object) (long) i : classes.get(i));
            }
        } else {
            if (keysAttr == null || valuesAttr == null) throw ctx.fail("keys and values attributes are required");
            keys = entries(keysAttr);
            values = entries(valuesAttr);
        }
        if (keys.size() != values.size()) throw ctx.fail(keys.size() + " keys but " + values.size() + " values");
        Map<Object, Object> map = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) map.put(keys.get(i), values.get(i));
        if (outType == null) throw ctx.fail("output type is not known");
        Object fallback = ctx.node().hasAttribute("default_tensor") ? element(ctx.attr("default_tensor").asTensor(), 0)
                : outType == DType.STRING ? ctx.stringAttr("default_string", "_Unused")
                : outType.isFloat() ? (Object) (double) ctx.floatAttr("default_float", -0f)
                : (Object) ctx.intAttr("default_int64", -1);
        Tensor out = Tensor.zeros(outType, x.shape());
        for (int i = 0; i < x.size(); i++) {
            Object v = map.getOrDefault(element(x, i), fallback);
            if (outType == DType.STRING) out.setString(i, (String) v);
            else if (v instanceof Long l) out.setLong(i, l);
            else out.setDouble(i, (Double) v);
        }
        return List.of(out);
    }

    /** Picks entries of the last axis of X by index; a 1D X counts as one row. */
    private static List<RuntimeValue> arrayFeatureExtractor(KernelContext ctx) {
        Tensor x = ctx.input(0);
        long[] indices = ctx.input(1).toLongs();
        if (x.rank() == 0) throw ctx.fail("X must have rank >= 1");
        long[] shape = x.rank() == 1 ? new long[] {1, x.dim(0)} : x.shape();
        int last = (int) shape[shape.length - 1];
        for (long i : indices) if (i < 0 || i >= last) throw ctx.fail("index " + i + " is outside [0, " + last + ")");
        List<Tensor> columns = new ArrayList<>();
        Tensor reshaped = x.reshape(shape);
        for (long i : indices) columns.add(ControlTensors.slice(reshaped, shape.length - 1, i, 1, false));
        long[] empty = shape.clone();
        return List.of(ControlTensors.concat(columns, shape.length - 1, x.dtype(), empty));
    }
}
