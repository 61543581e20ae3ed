package dev.kiln.backend.cpu.elementwise;

import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;

import java.util.List;

/**
 * How broadcasting inputs line up with the output, seen as a matrix [outer, inner]: the output's trailing axes from
 * a split point form the contiguous inner run; each input either varies along that run (it has those axes) or is
 * constant along it (size 1 there), and starts each row at an offset of its own. The split is the earliest one that
 * every input allows, so the vector loop runs over the longest contiguous stretch.
 */
final class BroadcastLayout {
    /** How an input's axis (aligned to the right) compares with the output's. */
    enum Axis { SAME, ONE, BOTH_ONE }

    private BroadcastLayout() {}

    /** Axis relations from declared shapes; null when a dim is unknown or two symbols may differ. */
    static Axis[][] classify(List<Shape> inputs, Shape out) {
        if (!out.hasRank()) return null;
        int rank = out.rank();
        Axis[][] axes = new Axis[inputs.size()][rank];
        for (int j = 0; j < inputs.size(); j++) {
            Shape in = inputs.get(j);
            if (!in.hasRank() || in.rank() > rank) return null;
            for (int a = 0; a < rank; a++) {
                int ia = a - (rank - in.rank());
                Dim o = out.dim(a);
                Dim i = ia < 0 ? Dim.of(1) : in.dim(ia);
                boolean outOne = o.isStatic() && o.size() == 1;
                boolean inOne = i.isStatic() && i.size() == 1;
                if (outOne && inOne) axes[j][a] = Axis.BOTH_ONE;
                else if (inOne) axes[j][a] = Axis.ONE;
                else if (i.equals(o) && !i.isUnknown()) axes[j][a] = Axis.SAME;
                else return null;
            }
        }
        return axes;
    }

    /** Axis relations from actual shapes (which broadcast correctly: the graph was type-checked). */
    static Axis[][] classify(long[][] inputs, long[] out) {
        int rank = out.length;
        Axis[][] axes = new Axis[inputs.length][rank];
        for (int j = 0; j < inputs.length; j++) {
            for (int a = 0; a < rank; a++) {
                int ia = a - (rank - inputs[j].length);
                long i = ia < 0 ? 1 : inputs[j][ia];
                axes[j][a] = i == 1 && out[a] == 1 ? Axis.BOTH_ONE : i == 1 ? Axis.ONE : Axis.SAME;
            }
        }
        return axes;
    }

    /** The earliest split at which every input is either varying or constant along the inner axes. */
    static int split(Axis[][] axes, int rank) {
        for (int k = 0; k <= rank; k++) {
            boolean ok = true;
            for (Axis[] input : axes) ok &= varyingFrom(input, k) || constantFrom(input, k);
            if (ok) return k;
        }
        return rank;
    }

    /** Whether each input varies along the inner run at split {@code k}. */
    static boolean[] varying(Axis[][] axes, int k) {
        boolean[] v = new boolean[axes.length];
        for (int j = 0; j < axes.length; j++) v[j] = !constantFrom(axes[j], k);
        return v;
    }

    private static boolean varyingFrom(Axis[] input, int k) {
        for (int a = k; a < input.length; a++) if (input[a] == Axis.ONE) return false;
        return true;
    }

    private static boolean constantFrom(Axis[] input, int k) {
        for (int a = k; a < input.length; a++) if (input[a] == Axis.SAME) return false;
        return true;
    }

    /** For each row of the output (outer index), the element offset where {@code in}'s row starts. */
    static long[] rowStarts(long[] in, long[] out, int k) {
        int rank = out.length;
        long outer = 1;
        for (int a = 0; a < k; a++) outer *= out[a];
        long[] starts = new long[Math.toIntExact(outer)];
        long[] stride = new long[rank];
        long s = 1;
        for (int a = rank - 1; a >= 0; a--) {
            int ia = a - (rank - in.length);
            long size = ia < 0 ? 1 : in[ia];
            stride[a] = size == 1 ? 0 : s;
            s *= size;
        }
        long[] index = new long[k];
        for (int o = 0; o < starts.length; o++) {
            long offset = 0;
            for (int a = 0; a < k; a++) offset += index[a] * stride[a];
            starts[o] = offset;
            for (int a = k - 1; a >= 0; a--) {
                if (++index[a] < out[a]) break;
                index[a] = 0;
            }
        }
        return starts;
    }
}
