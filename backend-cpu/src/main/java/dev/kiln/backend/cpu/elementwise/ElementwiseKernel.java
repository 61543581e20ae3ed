package dev.kiln.backend.cpu.elementwise;

import java.lang.foreign.MemorySegment;

/**
 * A generated elementwise kernel: computes rows {@code [firstRow, endRow)} of the output seen as [outer, inner]
 * float32 elements. Input {@code j} starts row {@code o} at element {@code rowStarts[j][o]} of {@code in[j]}; it either
 * varies along the row or holds one value for it, as the kernel was generated for.
 */
public interface ElementwiseKernel {
    void run(MemorySegment[] in, long[][] rowStarts, MemorySegment out, int firstRow, int endRow, long inner);
}
