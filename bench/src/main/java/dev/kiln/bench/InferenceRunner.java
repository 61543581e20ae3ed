package dev.kiln.bench;

import dev.kiln.ir.tensor.Tensor;

import java.util.Map;

/**
 * One runtime prepared to run one model: what the harness times. {@link #infer} is the timed call and may keep its
 * result on the runtime's side; {@link #outputs} converts a full result to Kiln tensors for checks, outside timing.
 */
public interface InferenceRunner extends AutoCloseable {
    /** {@code kiln} or {@code onnxruntime}. */
    String runtime();

    /** Milliseconds from the model file to a runnable session (import, optimization and compilation). */
    double compileMillis();

    /** Runs one inference; {@code feed} is an index into the runner's prepared inputs (see {@link BenchInputs}). */
    void infer(int feed);

    /** Runs {@code feed} and returns every output by name, in the model's order. */
    Map<String, Tensor> outputs(int feed);

    @Override
    void close();
}
