package dev.kiln.backend.cpu.qgemm;

/**
 * The left operand A ({@code m × k}) widened to int32 for a micro-kernel with {@code mr} rows: micro-panel
 * {@code r} (rows {@code r·mr …}) at {@code r·mr·k}, row-major, rows past {@code m} zero.
 */
public record PackedLeft(int[] data, int m, int k, int mr) {
    /** Micro-panels, the last one possibly partial. */
    int panels() { return (m + mr - 1) / mr; }

    /** A panel layout sized for {@code m × k}. */
    static PackedLeft allocate(int m, int k, int mr) {
        return new PackedLeft(new int[Math.multiplyExact((m + mr - 1) / mr * mr, k)], m, k, mr);
    }
}
