package dev.kiln.backend.cpu.qgemm;

/**
 * The right operand B ({@code k × n}) widened to int32 for a micro-kernel with {@code nr} columns: micro-panel
 * {@code q} (columns {@code q·nr …}) at {@code q·k·nr}, k-major ({@code (p, j)} at {@code p·nr + j}), columns past
 * {@code n} zero.
 */
public record PackedRight(int[] data, int k, int n, int nr) {
    int panels() { return (n + nr - 1) / nr; }

    /** A panel layout with room for {@code k × n}. */
    static PackedRight allocate(int k, int n, int nr) {
        return new PackedRight(new int[Math.multiplyExact((n + nr - 1) / nr * nr, k)], k, n, nr);
    }

    /** The same storage viewed as {@code k × n}, which must fit in it (reused scratch for a smaller product). */
    public PackedRight reshaped(int newK, int newN) {
        if ((long) (newN + nr - 1) / nr * nr * newK > data.length) throw new IllegalArgumentException("packed B too small");
        return new PackedRight(data, newK, newN, nr);
    }
}
