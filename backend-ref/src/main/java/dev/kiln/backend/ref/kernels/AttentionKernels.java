package dev.kiln.backend.ref.kernels;

import dev.kiln.backend.ref.Kernel;
import dev.kiln.backend.ref.KernelFamily;

import java.util.Map;

/** Reference kernels of the attention family. */
public final class AttentionKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("Attention", AttentionKernel::run, "ai.onnx.preview:FlexAttention", FlexAttentionKernel::run);
    }
}
