package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Memory segments over a step's input tensors for one runner, remade only when an input is a different tensor
 * than last run (the previous step's reused output usually is the same one), so a warm run allocates nothing.
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
            segments[input] = MemorySegment.ofBuffer(tensor.data());
        }
        return segments[input];
    }

    /** The segments last returned, by input. */
    public MemorySegment[] all() { return segments; }
}
