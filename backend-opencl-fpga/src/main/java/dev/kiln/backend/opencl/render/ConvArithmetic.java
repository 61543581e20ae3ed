package dev.kiln.backend.opencl.render;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * What a {@link ConvLineBuffer}'s loop nest computes in: float32 multiply-adds, or the int multiply-adds of
 * zero-point-corrected 8-bit operands that a quantized conv requantizes at the end.
 *
 * @param element    the type the line buffer holds
 * @param load       the value stored for an input element read from {@code x}
 * @param pad        the value stored for a padded position
 * @param accumulator the accumulator's type
 * @param init       the accumulator's start (bias or zero)
 * @param perChannel statements once {@code m} (the output channel) is known, before its accumulations
 * @param weight     the weight operand at an index into the weights
 * @param epilogue   statements applied to {@code acc} before it is stored, given the output index
 * @param result     the expression stored to the output
 * @param partialSums whether channel tiles may keep partial sums in the output (only when it holds the accumulator's type)
 */
record ConvArithmetic(String element, UnaryOperator<String> load, String pad, String accumulator, String init, List<String> perChannel,
                      UnaryOperator<String> weight, BiConsumer<CWriter, String> epilogue, String result, boolean partialSums) {
    ConvArithmetic {
        perChannel = List.copyOf(perChannel);
    }

    /** Float32 data, weights named {@code wv}, the accumulator starting at {@code init}, then {@code epilogue}. */
    static ConvArithmetic floats(String wv, String init, Epilogue epilogue) {
        return new ConvArithmetic("float", x -> x, "0.0f", "float", init, List.of(), i -> wv + "[" + i + "]",
                (c, yIndex) -> epilogue.apply(c, "acc", "z[" + yIndex + "]"), "acc", true);
    }

    /** Bytes of one line-buffer element. */
    int elementBytes() { return element.equals("short") ? Short.BYTES : Float.BYTES; }
}
