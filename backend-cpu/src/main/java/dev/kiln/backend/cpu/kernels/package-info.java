/**
 * Row and elementwise float32 kernels on {@link java.lang.foreign.MemorySegment}s: unary math, softmax,
 * log-softmax and layer normalization over the last axis. Conventions shared by every kernel here: data is
 * little-endian float32, rows are contiguous and back to back (row-major, last axis innermost), offsets are in
 * <em>bytes</em> (what {@code MemorySegment} and {@code FloatVector.fromMemorySegment} take) and need no alignment,
 * counts are in elements, the species is a constructor parameter (tests run the smallest and the largest), and a
 * call allocates nothing: vectors stay in registers and tails run in scalar code.
 */
package dev.kiln.backend.cpu.kernels;
