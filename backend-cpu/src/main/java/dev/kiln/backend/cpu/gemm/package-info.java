/**
 * Single-precision GEMM for the CPU backend, after the GotoBLAS/BLIS scheme: B (the weights) is packed once into
 * a {@link dev.kiln.backend.cpu.gemm.PackedMatrix}; each thread packs blocks of A into its own scratch and runs a
 * register-blocked micro-kernel (6 rows × 2 vectors of C in 12 accumulators, {@code FloatVector.fma} over a
 * depth panel) across them, with the cache blocking of {@link dev.kiln.backend.cpu.gemm.Blocking}. A
 * {@link dev.kiln.backend.cpu.gemm.TileEpilogue} runs on each finished register tile while it is in L1; the common
 * one, a per-row bias and a clamp ({@link dev.kiln.backend.cpu.gemm.FusedEpilogue#inRegisters}), the micro-kernel
 * applies to whole tiles before their store.
 *
 * <p>Choices measured on the 2-core Zen 4 (512³, one thread, FMA peak 110-118 GFLOP/s, machine shared with other
 * jobs, so ±15% run to run): the 6×32 kernel at 512 bits beat 6×16 at 256 bits (Zen 4 splits 512-bit ops in
 * two, but the wider tile halves the loads and loop overhead per FMA); larger register tiles (8, 12, 14 rows)
 * fell off a cliff (C2 stops inlining the Vector API inside one very large method and boxes vectors); packed A
 * read from a heap array beat a segment by about 10% (a segment float read goes through its int bits); and a
 * row-major A panel, packed with one bulk copy per row, beat the classic k-major interleave (whose scalar packing
 * cost more than the kernel gained).
 */
package dev.kiln.backend.cpu.gemm;
