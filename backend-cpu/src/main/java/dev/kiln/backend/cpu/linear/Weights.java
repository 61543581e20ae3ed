package dev.kiln.backend.cpu.linear;

import dev.kiln.backend.cpu.gemm.Gemm;
import dev.kiln.backend.cpu.gemm.PackedA;
import dev.kiln.backend.cpu.gemm.PackedMatrix;
import dev.kiln.backend.cpu.parallel.WorkerPool;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Constant weights prepared at compile time: packed for the GEMM's micro-kernel, or copied off-heap. The memory
 * belongs to the compiled plan and is freed with it by the garbage collector. Every kernel family that binds constant
 * weights prepares them here.
 */
public final class Weights {
    /** Packs with the same micro-kernel and blocking every runner's GEMM uses; packing needs no threads. */
    private static final Gemm PACKER = new Gemm(new WorkerPool(1));

    private Weights() {}

    /** The constant float32 tensor behind {@code v}, or null when {@code v} is not one. */
    public static Tensor constant(Graph graph, Value v) {
        if (v.isAbsent()) return null;
        Tensor t = graph.constants().get(v.name());
        return t != null && t.dtype() == DType.F32 ? t : null;
    }

    /** {@code b} ({@code k × n}, or stored {@code n × k} with {@code transB}) packed for the GEMM. */
    public static PackedMatrix packed(Tensor b, boolean transB, int k, int n) {
        return PACKER.packB(Arena.ofAuto(), MemorySegment.ofBuffer(b.data()), 0, transB ? k : n, transB, k, n);
    }

    /** {@code a} ({@code m × k}, row-major) packed as the GEMM's left operand. */
    static PackedA packedA(Tensor a, int m, int k) {
        return PACKER.packA(MemorySegment.ofBuffer(a.data()), 0, k, m, k);
    }

    /** An off-heap copy of {@code t}'s floats. */
    public static MemorySegment copy(Tensor t) {
        MemorySegment out = Arena.ofAuto().allocate((long) t.size() * Float.BYTES, 64);
        out.copyFrom(MemorySegment.ofBuffer(t.data()));
        return out;
    }
}
