package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where one step's outputs live for one runner: at the offsets {@code plan-memory} gave them in the session's arena
 * (the node attributes {@code kiln.arena_offsets} and {@code kiln.arena_bytes}, the contract the runtime's SPI
 * names), or in buffers of the step's own when the graph was not planned, the output is a graph output, or a run's
 * shape outgrows what the plan assumed for a symbolic dim.
 */
public final class StepMemory {
    private static final String OFFSETS = "kiln.arena_offsets";
    private static final String BYTES = "kiln.arena_bytes";
    private static final StepMemory OWN = new StepMemory(null, null, new long[0], new long[0]);

    private final ByteBuffer arena;
    private final MemorySegment arenaSegment;
    private final long[] offsets;
    private final long[] bytes;

    private StepMemory(ByteBuffer arena, MemorySegment arenaSegment, long[] offsets, long[] bytes) {
        this.arena = arena;
        this.arenaSegment = arenaSegment;
        this.offsets = offsets;
        this.bytes = bytes;
    }

    /** Buffers of the step's own for every output: for steps whose outputs must outlive a run (memoized ones). */
    public static StepMemory own() { return OWN; }

    /** {@code node}'s planned outputs in {@code arena} (null or empty: none planned). */
    static StepMemory of(Node node, ByteBuffer arena) {
        Attribute offsets = node.attribute(OFFSETS);
        Attribute bytes = node.attribute(BYTES);
        if (arena == null || arena.capacity() == 0 || offsets == null || bytes == null) return own();
        long[] o = offsets.asInts();
        long[] b = bytes.asInts();
        for (int k = 0; k < o.length; k++) {
            if (o[k] >= 0 && (k >= b.length || o[k] + b[k] > arena.capacity())) {
                throw new IllegalStateException(node.describe() + ": output " + k + " is planned at " + o[k] + "+"
                        + (k < b.length ? b[k] : "?") + ", past the session arena of " + arena.capacity() + " bytes");
            }
        }
        return new StepMemory(arena, MemorySegment.ofBuffer(arena), o, b);
    }

    /** The buffer of output {@code k}: its arena region when it has one, else the step's own. */
    public ReusedOutput output(int k) { return output(k, DType.F32); }

    /** The buffer of output {@code k}, whose elements are {@code dtype}. */
    public ReusedOutput output(int k, DType dtype) {
        if (k >= offsets.length || offsets[k] < 0) return new ReusedOutput(dtype);
        ByteBuffer region = arena.slice(Math.toIntExact(offsets[k]), Math.toIntExact(bytes[k])).order(ByteOrder.LITTLE_ENDIAN);
        return new ReusedOutput(region, dtype);
    }

    /**
     * Whether {@code t}'s bytes lie in the session arena. A step that would hand on a view of such a tensor copies
     * instead: the plan gave the region to this value only until its last reader by name.
     */
    public boolean inArena(Tensor t) {
        if (arenaSegment == null) return false;
        MemorySegment bytes = t.segment(); // made once per tensor: no allocation on a Slice's every run
        if (bytes == null || !bytes.isNative()) return false;
        long address = bytes.address();
        return address >= arenaSegment.address() && address < arenaSegment.address() + arenaSegment.byteSize();
    }
}
