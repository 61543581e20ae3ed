package dev.kiln.backend.ref.kernels;

import dev.kiln.backend.ref.Kernel;
import dev.kiln.backend.ref.KernelFamily;

import java.util.Map;

/** ai.onnx.preview.training:Gradient, by reverse-mode differentiation over the reference kernels. */
public final class TrainingGradientKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("ai.onnx.preview.training:Gradient", GradientKernel::run);
    }
}
