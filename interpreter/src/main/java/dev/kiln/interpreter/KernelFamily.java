package dev.kiln.interpreter;

import java.util.Map;

/**
 * Reference kernels of one op family, keyed by qualified op name ({@code Conv}, {@code ai.onnx.ml:Binarizer}).
 * Families are listed in {@code META-INF/services/dev.kiln.interpreter.KernelFamily}.
 */
public interface KernelFamily {
    Map<String, Kernel> kernels();
}
