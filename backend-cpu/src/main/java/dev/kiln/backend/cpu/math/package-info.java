/**
 * Vectorized float math for the CPU kernels: {@link dev.kiln.backend.cpu.math.VectorMath} on
 * {@link jdk.incubator.vector.FloatVector}s of any species, its bit-identical scalar twins in
 * {@link dev.kiln.backend.cpu.math.ScalarMath}, and the measured error bounds (see {@code docs/cpu-vector-math.md}).
 */
package dev.kiln.backend.cpu.math;
