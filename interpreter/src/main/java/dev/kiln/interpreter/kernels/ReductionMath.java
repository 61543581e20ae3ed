package dev.kiln.interpreter.kernels;

import dev.kiln.ir.DType;

import java.util.Arrays;

/**
 * The arithmetic of the Reduce* ops over flat arrays: element {@code i} of the input reduces into output element
 * {@code target[i]}. Outputs nobody reduces into keep the operation's identity.
 */
final class ReductionMath {
    private ReductionMath() {}

    /** A floating-point reduction, accumulated in double. */
    static double[] floats(String op, double[] v, int[] target, int outSize, long count) {
        double[] acc = new double[outSize];
        switch (op) {
            case "ReduceMax", "ReduceMin" -> {
                boolean max = op.equals("ReduceMax");
                Arrays.fill(acc, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                for (int i = 0; i < v.length; i++) {
                    double a = acc[target[i]];
                    if (Double.isNaN(v[i]) || (max ? v[i] > a : v[i] < a)) acc[target[i]] = v[i];
                }
            }
            case "ReduceProd" -> {
                Arrays.fill(acc, 1);
                for (int i = 0; i < v.length; i++) acc[target[i]] *= v[i];
            }
            case "ReduceLogSumExp" -> {
                double[] peak = floats("ReduceMax", v, target, outSize, count);
                for (int i = 0; i < v.length; i++) {
                    double p = peak[target[i]];
                    acc[target[i]] += Double.isInfinite(p) ? Math.exp(v[i]) : Math.exp(v[i] - p);
                }
                for (int o = 0; o < outSize; o++) acc[o] = Double.isInfinite(peak[o]) ? Math.log(acc[o]) : peak[o] + Math.log(acc[o]);
            }
            default -> {
                for (int i = 0; i < v.length; i++) {
                    double x = v[i];
                    acc[target[i]] += switch (op) {
                        case "ReduceL1" -> Math.abs(x);
                        case "ReduceL2", "ReduceSumSquare" -> x * x;
                        default -> x;
                    };
                }
                for (int o = 0; o < outSize; o++) {
                    acc[o] = switch (op) {
                        case "ReduceMean" -> acc[o] / count;
                        case "ReduceL2" -> Math.sqrt(acc[o]);
                        case "ReduceLogSum" -> Math.log(acc[o]);
                        default -> acc[o];
                    };
                }
            }
        }
        return acc;
    }

    /** An integer (or bool) reduction whose result is a whole number, computed in long with wrap-around. */
    static long[] integers(String op, DType dtype, long[] v, int[] target, int outSize) {
        long[] acc = new long[outSize];
        boolean unsigned = dtype.kind() == DType.Kind.UNSIGNED || dtype == DType.BOOL;
        switch (op) {
            case "ReduceMax", "ReduceMin" -> {
                boolean max = op.equals("ReduceMax");
                Arrays.fill(acc, max ? lowest(dtype) : highest(dtype));
                for (int i = 0; i < v.length; i++) {
                    int c = dtype == DType.U64 ? Long.compareUnsigned(v[i], acc[target[i]]) : Long.compare(v[i], acc[target[i]]);
                    if (max ? c > 0 : c < 0) acc[target[i]] = v[i];
                }
            }
            case "ReduceProd" -> {
                Arrays.fill(acc, 1);
                for (int i = 0; i < v.length; i++) acc[target[i]] *= v[i];
            }
            default -> {
                for (int i = 0; i < v.length; i++) {
                    long x = v[i];
                    acc[target[i]] += switch (op) {
                        case "ReduceL1" -> unsigned ? x : Math.abs(x);
                        case "ReduceSumSquare" -> x * x;
                        default -> x;
                    };
                }
            }
        }
        return acc;
    }

    /** The smallest value of an integer type (the identity of max), as its long reading. */
    private static long lowest(DType t) {
        if (t.kind() != DType.Kind.SIGNED) return 0;
        return t.bits() == 64 ? Long.MIN_VALUE : -(1L << (t.bits() - 1));
    }

    /** The largest value of an integer type (the identity of min), as its long reading. */
    private static long highest(DType t) {
        if (t == DType.BOOL) return 1;
        if (t.kind() == DType.Kind.SIGNED) return t.bits() == 64 ? Long.MAX_VALUE : (1L << (t.bits() - 1)) - 1;
        return t.bits() == 64 ? -1L : (1L << t.bits()) - 1;
    }
}
