package dev.kiln.cli;

import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;

import java.util.ArrayList;
import java.util.List;

/** Short, one-line renderings of runtime values for command output. */
final class ValueFormat {
    private static final int MAX_SHOWN = 8;

    private ValueFormat() {}

    /** {@code f32[16,10]}, {@code seq<f32[?]> of 3}, {@code opt<i64[2]> empty}. */
    static String type(RuntimeValue value) {
        return switch (value) {
            case Tensor t -> t.dtype().shortName() + Shape.format(t.shape());
            case TensorSequence s -> s.type() + " of " + s.elements().size();
            case OptionalValue o -> o.type() + (o.isPresent() ? " holding " + type(o.element()) : " empty");
        };
    }

    /** One line of content: per-row argmax of a 2-D float score matrix, else the first few elements. */
    static String content(Tensor t) {
        if (t.rank() == 2 && t.dtype().isFloat() && t.dim(1) > 0) {
            return "argmax per row " + list(argmaxPerRow(t).stream().map(String::valueOf).toList());
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(t.size(), MAX_SHOWN); i++) shown.add(element(t, i));
        if (t.size() > MAX_SHOWN) shown.add("... " + (t.size() - MAX_SHOWN) + " more");
        return "values " + list(shown);
    }

    /** The index of the largest value in each row of a 2-D tensor (the first one on ties; NaN rows give 0). */
    static List<Integer> argmaxPerRow(Tensor t) {
        int rows = (int) t.dim(0);
        int cols = (int) t.dim(1);
        List<Integer> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (t.getDouble(r * cols + c) > t.getDouble(r * cols + best)) best = c;
            }
            out.add(best);
        }
        return out;
    }

    static String element(Tensor t, int i) {
        DType d = t.dtype();
        return switch (d.kind()) {
            case STRING -> '"' + t.getString(i) + '"';
            case BOOL -> t.getLong(i) != 0 ? "true" : "false";
            case FLOAT -> number(t.getDouble(i), d == DType.F64);
            case COMPLEX -> {
                double[] c = t.getComplex(i);
                yield number(c[0], d == DType.C128) + (c[1] < 0 ? "-" : "+") + number(Math.abs(c[1]), d == DType.C128) + "i";
            }
            case UNSIGNED -> d == DType.U64 ? Long.toUnsignedString(t.getLong(i)) : Long.toString(t.getLong(i));
            case SIGNED -> Long.toString(t.getLong(i));
        };
    }

    /** A float in its shortest round-tripping form at single (or double) precision. */
    static String number(double v, boolean doublePrecision) {
        String s = doublePrecision ? Double.toString(v) : Float.toString((float) v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String list(List<String> items) { return "[" + String.join(", ", items) + "]"; }
}
