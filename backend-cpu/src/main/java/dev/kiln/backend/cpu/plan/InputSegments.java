package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Memory segments over a step's input tensors for one runner: each tensor's own {@link Tensor#segment()}, made once
 * per tensor, so a warm run allocates nothing even when a caller alternates between input tensors.
 */
public final class InputSegments {
    private final Tensor[] tensors;
    private final MemorySegment[] segments;

    public InputSegments(int inputs) {
        tensors = new Tensor[inputs];
        segments = new MemorySegment[inputs];
    }

    public MemorySegment of(int input, Tensor tensor) {
        if (tensor != tensors[input]) {
            tensors[input] = tensor;
            segments[input] = tensor.segment();
        }
        return segments[input];
    }

    /** The segments last returned, by input. */
    public MemorySegment[] all() { return segments; }
}
