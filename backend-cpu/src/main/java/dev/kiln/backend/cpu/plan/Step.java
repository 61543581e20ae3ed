package dev.kiln.backend.cpu.plan;

/**
 * One node's work in a compiled plan: reads its inputs from the frame's slots and writes its outputs to theirs.
 * A step is shared by every runner of a plan; what it keeps between runs (buffers sized for the last shapes, say)
 * is the per-runner state it creates with {@link #newState}.
 */
public interface Step {
    void run(Frame frame, Object state);

    /** This step's state for one runner, with its outputs where {@code memory} puts them; null when it keeps none. */
    default Object newState(StepMemory memory) { return null; }

    /** {@code node 'conv1' (kiln:FusedConv): gemm 64x3136x576} — what runs, for --explain and errors. */
    String describe();
}
