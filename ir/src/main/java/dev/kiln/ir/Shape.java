package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A list of dims, or "rank unknown" where not even the rank can be inferred. */
public final class Shape {
    public static final Shape UNKNOWN_RANK = new Shape(null);
    public static final Shape SCALAR = new Shape(List.of());

    private final List<Dim> dims;

    private Shape(List<Dim> dims) { this.dims = dims == null ? null : List.copyOf(dims); }

    public static Shape of(List<Dim> dims) { return new Shape(dims); }

    public static Shape of(long... sizes) {
        List<Dim> dims = new ArrayList<>(sizes.length);
        for (long s : sizes) dims.add(s < 0 ? Dim.UNKNOWN : Dim.of(s));
        return new Shape(dims);
    }

    /** A shape of the given rank with every dim unknown. */
    public static Shape unknownDims(int rank) {
        List<Dim> dims = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) dims.add(Dim.UNKNOWN);
        return new Shape(dims);
    }

    public boolean hasRank() { return dims != null; }

    public int rank() {
        if (dims == null) throw new IllegalStateException("rank unknown");
        return dims.size();
    }

    public List<Dim> dims() {
        if (dims == null) throw new IllegalStateException("rank unknown");
        return dims;
    }

    public Dim dim(int i) { return dims().get(i); }

    public boolean isStatic() { return dims != null && dims.stream().allMatch(Dim::isStatic); }

    /** The static sizes; only for static shapes. */
    public long[] toArray() {
        if (!isStatic()) throw new IllegalStateException("shape " + this + " is not static");
        return dims.stream().mapToLong(Dim::size).toArray();
    }

    /** Number of elements of a static shape, overflow-checked. */
    public long elementCount() {
        long n = 1;
        for (long s : toArray()) n = Math.multiplyExact(n, s);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && java.util.Objects.equals(dims, s.dims);
    }

    @Override
    public int hashCode() { return java.util.Objects.hashCode(dims); }

    /** {@code [1,3,batch,?]}, or {@code [*]} when the rank is unknown. */
    @Override
    public String toString() {
        if (dims == null) return "[*]";
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) b.append(',');
            b.append(dims.get(i));
        }
        return b.append(']').toString();
    }

    public static String format(long[] sizes) { return Arrays.toString(sizes).replace(" ", ""); }
}
