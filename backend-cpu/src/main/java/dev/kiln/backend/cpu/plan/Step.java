package dev.kiln.backend.cpu.plan;

/**
 * One node's work in a compiled plan: reads its inputs from the frame's slots and writes its outputs to theirs.
 * A step is shared by every runner of a plan; state a step needs per runner lives in the frame.
 */
public interface Step {
    void run(Frame frame);

    /** {@code node 'conv1' (kiln:FusedConv): gemm 64x3136x576} — what runs, for --explain and errors. */
    String describe();
}
