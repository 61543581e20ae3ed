package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelFamily;

import java.util.Map;

/** NonMaxSuppression, ImageDecoder and the ai.onnx.preview.training optimizers. */
public final class MiscKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("NonMaxSuppression", NonMaxSuppressionKernel::run,
                "ImageDecoder", ImageDecoderKernel::run,
                "ai.onnx.preview.training:Momentum", OptimizerKernels::momentum,
                "ai.onnx.preview.training:Adagrad", OptimizerKernels::adagrad,
                "ai.onnx.preview.training:Adam", OptimizerKernels::adam);
    }
}
