package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelFamily;

import java.util.Map;

/** Reference kernels of the attention family. */
public final class AttentionKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("Attention", AttentionKernel::run, "ai.onnx.preview:FlexAttention", FlexAttentionKernel::run);
    }
}
