package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelFamily;

import java.util.Map;

/** ai.onnx.preview.training:Gradient, by reverse-mode differentiation over the reference kernels. */
public final class TrainingGradientKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("ai.onnx.preview.training:Gradient", GradientKernel::run);
    }
}
