/**
 * The CPU backend: kernels written with the Vector API ({@code jdk.incubator.vector}), species chosen at class
 * initialization ({@code SPECIES_PREFERRED} in static finals) with explicit scalar tails, working on
 * {@link java.lang.foreign.MemorySegment}s so that weights, the session arena and inputs share one representation.
 */
package dev.kiln.backend.cpu;
