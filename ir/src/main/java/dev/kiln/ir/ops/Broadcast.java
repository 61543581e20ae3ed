package dev.kiln.ir.ops;

import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/** NumPy-style multidirectional broadcasting of shapes, as ONNX's elementwise ops define it. */
public final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code shapes}; throws {@link IllegalArgumentException} when they are incompatible. */
    public static Shape shapes(List<Shape> shapes) {
        int rank = 0;
        for (Shape s : shapes) {
            if (!s.hasRank()) return Shape.UNKNOWN_RANK;
            rank = Math.max(rank, s.rank());
        }
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            Dim result = Dim.of(1);
            for (Shape s : shapes) {
                int j = i - (rank - s.rank());
                if (j < 0) continue;
                result = merge(result, s.dim(j), shapes);
            }
            out.add(result);
        }
        return Shape.of(out);
    }

    private static Dim merge(Dim a, Dim b, List<Shape> all) {
        if (a.isStatic() && a.size() == 1) return b;
        if (b.isStatic() && b.size() == 1) return a;
        if (a.isStatic() && b.isStatic()) {
            if (a.size() != b.size()) throw new IllegalArgumentException("shapes " + all + " do not broadcast");
            return a;
        }
        if (a.equals(b)) return a;
        if (a.isStatic()) return a; // the symbolic side must equal it (or be 1, which cannot be told apart here)
        if (b.isStatic()) return b;
        return Dim.UNKNOWN;
    }

    /** The broadcast shape of two concrete shapes. */
    public static long[] shapes(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            long db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Shape.format(a) + " and " + Shape.format(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }
}
