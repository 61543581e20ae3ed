package dev.kiln.cli.conformance;

import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Compares a value a model produced with the expected one the way the ONNX backend test runner does: dtype and
 * shape must match; numeric tensors match when |actual − expected| ≤ atol + rtol·|expected| element by element,
 * with NaN equal to NaN and infinities equal only to themselves; strings and booleans must be equal. The types
 * NumPy does not count as numbers (bf16, the float8 and float4 formats, 4- and 2-bit ints) are compared exactly, as
 * the ONNX runner does. Sequences and optionals are compared element by element.
 */
public final class OutputComparison {
    /** ONNX's default tolerances. */
    public static final OutputComparison ONNX_DEFAULT = new OutputComparison(1e-3, 1e-7);

    private static final Set<DType> EXACT = EnumSet.of(DType.STRING, DType.BOOL, DType.BF16, DType.F8E4M3FN,
            DType.F8E4M3FNUZ, DType.F8E5M2, DType.F8E5M2FNUZ, DType.F8E8M0, DType.F4E2M1, DType.I4, DType.U4,
            DType.I2, DType.U2);

    private final double rtol;
    private final double atol;

    public OutputComparison(double rtol, double atol) {
        this.rtol = rtol;
        this.atol = atol;
    }

    /** Null when {@code actual} matches {@code expected}; otherwise one line naming {@code where} and the first mismatch. */
    public String mismatch(String where, RuntimeValue expected, RuntimeValue actual) {
        if (actual == null) return where + ": missing, expected " + expected.type();
        return switch (expected) {
            case Tensor e when actual instanceof Tensor a -> tensorMismatch(where, e, a);
            case TensorSequence e when actual instanceof TensorSequence a -> sequenceMismatch(where, e, a);
            case OptionalValue e when actual instanceof OptionalValue a -> optionalMismatch(where, e, a);
            default -> where + ": got a " + actual.type() + ", expected a " + expected.type();
        };
    }

    private String sequenceMismatch(String where, TensorSequence expected, TensorSequence actual) {
        if (expected.elements().size() != actual.elements().size()) {
            return where + ": sequence of " + actual.elements().size() + ", expected " + expected.elements().size() + " elements";
        }
        for (int i = 0; i < expected.elements().size(); i++) {
            String m = mismatch(where + "[" + i + "]", expected.elements().get(i), actual.elements().get(i));
            if (m != null) return m;
        }
        return null;
    }

    private String optionalMismatch(String where, OptionalValue expected, OptionalValue actual) {
        if (expected.isPresent() != actual.isPresent()) {
            return where + ": optional is " + (actual.isPresent() ? "present" : "empty") + ", expected "
                    + (expected.isPresent() ? "present" : "empty");
        }
        return expected.isPresent() ? mismatch(where, expected.element(), actual.element()) : null;
    }

    private String tensorMismatch(String where, Tensor expected, Tensor actual) {
        if (expected.dtype() != actual.dtype()) {
            return where + ": dtype " + actual.dtype().shortName() + ", expected " + expected.dtype().shortName();
        }
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return where + ": shape " + Shape.format(actual.shape()) + ", expected " + Shape.format(expected.shape());
        }
        int first = -1;
        int count = 0;
        for (int i = 0; i < expected.size(); i++) {
            if (!elementMatches(expected, actual, i)) {
                if (first < 0) first = i;
                count++;
            }
        }
        if (first < 0) return null;
        return where + " at " + index(first, expected.shape()) + ": got " + element(actual, first) + ", expected "
                + element(expected, first) + detail(expected, actual, first) + " (" + count + " of " + expected.size()
                + " elements differ)";
    }

    boolean elementMatches(Tensor expected, Tensor actual, int i) {
        DType d = expected.dtype();
        if (d == DType.STRING) return expected.getString(i).equals(actual.getString(i));
        if (d.kind() == DType.Kind.COMPLEX) return complexClose(expected.getComplex(i), actual.getComplex(i));
        if (EXACT.contains(d)) return sameNumber(expected.getDouble(i), actual.getDouble(i));
        if (d.isInteger() && d != DType.U64 && expected.getLong(i) == actual.getLong(i)) return true;
        return close(expected.getDouble(i), actual.getDouble(i));
    }

    /** The ONNX rule for one real element. */
    boolean close(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) return Double.isNaN(expected) && Double.isNaN(actual);
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) return expected == actual;
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    private boolean complexClose(double[] expected, double[] actual) {
        boolean eNaN = Double.isNaN(expected[0]) || Double.isNaN(expected[1]);
        boolean aNaN = Double.isNaN(actual[0]) || Double.isNaN(actual[1]);
        if (eNaN || aNaN) return eNaN && aNaN;
        if (Double.isInfinite(expected[0]) || Double.isInfinite(expected[1])
                || Double.isInfinite(actual[0]) || Double.isInfinite(actual[1])) {
            return expected[0] == actual[0] && expected[1] == actual[1];
        }
        double diff = Math.hypot(actual[0] - expected[0], actual[1] - expected[1]);
        return diff <= atol + rtol * Math.hypot(expected[0], expected[1]);
    }

    private static boolean sameNumber(double expected, double actual) {
        return expected == actual || (Double.isNaN(expected) && Double.isNaN(actual));
    }

    private String detail(Tensor expected, Tensor actual, int i) {
        DType d = expected.dtype();
        if (EXACT.contains(d) || d.kind() == DType.Kind.COMPLEX) return "";
        double e = expected.getDouble(i);
        double a = actual.getDouble(i);
        if (!Double.isFinite(e) || !Double.isFinite(a)) return "";
        return String.format(" (|diff| %.3g > tolerance %.3g)", Math.abs(a - e), atol + rtol * Math.abs(e));
    }

    private static String element(Tensor t, int i) {
        DType d = t.dtype();
        return switch (d.kind()) {
            case STRING -> '"' + t.getString(i) + '"';
            case BOOL -> t.getLong(i) != 0 ? "true" : "false";
            case COMPLEX -> {
                double[] c = t.getComplex(i);
                yield "(" + c[0] + (c[1] < 0 ? "" : "+") + c[1] + "i)";
            }
            case FLOAT -> d == DType.F64 ? Double.toString(t.getDouble(i)) : Float.toString((float) t.getDouble(i));
            case UNSIGNED -> d == DType.U64 ? Long.toUnsignedString(t.getLong(i)) : Long.toString(t.getLong(i));
            case SIGNED -> Long.toString(t.getLong(i));
        };
    }

    /** The multi-index of flat position {@code flat}, as {@code [i,j,k]}. */
    static String index(int flat, long[] shape) {
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return Shape.format(idx);
    }
}
