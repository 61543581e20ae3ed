package dev.kiln.passes.memory;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each intermediate tensor of a graph lives in the one scratch arena a session allocates. The plan survives
 * in IR text as two node annotations, one entry per output: {@code kiln.arena_offsets} (byte offset, or -1 for an
 * output not in the arena: a graph output, an absent output, or one without a fixed size) and
 * {@code kiln.arena_bytes} (the bytes the offset was planned for, -1 likewise). Sizes are explicit so the arena is
 * readable from the graph alone, also when symbolic dims were planned at an assumed size.
 */
public record MemoryPlan(List<Buffer> buffers, long arenaBytes, long naiveBytes) {
    public static final String OFFSETS = "kiln.arena_offsets";
    public static final String BYTES = "kiln.arena_bytes";
    /** Every buffer starts on a 64-byte boundary (a cache line, and the widest SIMD load). */
    public static final int ALIGNMENT = 64;

    /** One planned tensor: the value, the index of the node defining it, and its place in the arena. */
    public record Buffer(String value, int node, long offset, long bytes) {
        public long end() { return offset + alignUp(bytes); }
    }

    public MemoryPlan {
        buffers = List.copyOf(buffers);
    }

    /** The plan recorded in a graph's annotations (an empty plan when it has none). */
    public static MemoryPlan read(Graph graph) {
        List<Buffer> buffers = new ArrayList<>();
        long arena = 0;
        long naive = 0;
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node n = graph.nodes().get(i);
            Attribute offsets = n.attribute(OFFSETS);
            Attribute bytes = n.attribute(BYTES);
            if (offsets == null || bytes == null) continue;
            long[] o = offsets.asInts();
            long[] b = bytes.asInts();
            if (o.length != n.outputs().size() || b.length != o.length) {
                throw new IllegalArgumentException(n.describe() + ": " + OFFSETS + " and " + BYTES
                        + " must hold one entry per output (" + n.outputs().size() + ")");
            }
            for (int k = 0; k < o.length; k++) {
                if (o[k] < 0) continue;
                Value out = n.outputs().get(k);
                Buffer buffer = new Buffer(out.name(), i, o[k], b[k]);
                buffers.add(buffer);
                arena = Math.max(arena, buffer.end());
                naive += b[k];
            }
        }
        return new MemoryPlan(buffers, arena, naive);
    }

    /** The arena as a fraction of giving every intermediate its own buffer. */
    public double ratio() { return naiveBytes == 0 ? 1 : (double) arenaBytes / naiveBytes; }

    static long alignUp(long bytes) { return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; }
}
