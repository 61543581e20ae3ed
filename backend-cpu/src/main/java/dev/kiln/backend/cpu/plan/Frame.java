package dev.kiln.backend.cpu.plan;

import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import dev.kiln.ir.tensor.RuntimeValue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One runner's values during a run, a slot per value of the graph (constants sit in theirs from the start), each
 * step's state for this runner, and the runner's threads and GEMM scratch, which its steps share since they run one
 * after another.
 */
public final class Frame implements AutoCloseable {
    private final RuntimeValue[] slots;
    final Object[] states;
    private final WorkerPool pool;
    private final Gemm gemm;
    private final MemorySegment[] scratch = new MemorySegment[Scratch.values().length];
    private float[] floatScratch = new float[0];

    /** Scratch areas the steps of a runner share (one step runs at a time); each grows to the largest request. */
    public enum Scratch { IM2COL, PACKED_B }

    Frame(int size, Object[] states, int threads) {
        this.slots = new RuntimeValue[size];
        this.states = states;
        this.pool = new WorkerPool(threads);
        this.gemm = new Gemm(pool);
    }

    public RuntimeValue get(int slot) { return slots[slot]; }

    public void set(int slot, RuntimeValue value) { slots[slot] = value; }

    void clear(int slot) { slots[slot] = null; }

    /** The runner's worker threads (the caller included). */
    public WorkerPool pool() { return pool; }

    /** The runner's GEMM, parallel over {@link #pool()}. */
    public Gemm gemm() { return gemm; }

    /**
     * Scratch of at least {@code bytes}, 64-byte aligned, reused by every step of this runner: the same segment while
     * big enough, so a caller may keep derived views until a larger request replaces it (compare identities).
     */
    public MemorySegment scratch(Scratch which, long bytes) {
        MemorySegment s = scratch[which.ordinal()];
        if (s == null || s.byteSize() < bytes) {
            s = Arena.ofAuto().allocate(Math.max(bytes, 64), 64);
            scratch[which.ordinal()] = s;
        }
        return s;
    }

    /** A heap array of at least {@code length} floats, shared by the steps like {@link #scratch} (kernels that gather need an array). */
    public float[] floatScratch(int length) {
        if (floatScratch.length < length) floatScratch = new float[length];
        return floatScratch;
    }

    @Override
    public void close() { pool.close(); }
}
