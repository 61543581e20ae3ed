package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.List;

import static dev.kiln.ir.ops.onnx.NnInference.intAttr;

/**
 * Recurrent layers with int8 weights and dynamically quantized activations ({@code --quantize int8-dynamic}).
 *
 * <p>{@code com.microsoft:DynamicQuantizeLSTM} is ONNX Runtime's contrib op, taken as ORT defines it so that models
 * quantized by ORT run as they are: inputs {@code X, W, R, B?, sequence_lens?, initial_h?, initial_c?, P?, W_scale,
 * W_zero_point, R_scale, R_zero_point}; outputs {@code Y?, Y_h?, Y_c?}; LSTM's attributes without {@code layout}.
 * Unlike LSTM, W is {@code [dirs, input, 4·hidden]} and R {@code [dirs, hidden, 4·hidden]} (the gate rows are
 * columns), int8 or uint8; each scale and zero point is {@code [dirs]} (per tensor) or {@code [dirs, 4·hidden]} (per
 * gate column: per output channel).
 *
 * <p>{@code kiln:DynamicQuantizeGRU} is Kiln's counterpart for GRU, which ORT lacks, with the same convention:
 * inputs {@code X, W [dirs, input, 3·hidden], R [dirs, hidden, 3·hidden], B?, sequence_lens?, initial_h?, W_scale,
 * W_zero_point, R_scale, R_zero_point} (gates z, r, h as in GRU), outputs {@code Y?, Y_h?}, GRU's attributes
 * ({@code linear_before_reset} included) without {@code layout}.
 *
 * <p>Both compute as the float op does, except for the products: {@code X·W} is taken for the whole sequence at once
 * with X quantized once to uint8 over all of X (as ORT does: one scale and zero point chosen like
 * DynamicQuantizeLinear's, from the range including 0, the zero point rounded half to even), and per time step the
 * hidden state of the direction ({@code [batch, hidden]}) is quantized the same way before {@code h·R}; so is the
 * GRU's {@code r ⊙ h} when {@code linear_before_reset} is 0. Each product is exact in int32,
 * {@code Σ (x_q − x_zp)(w_q − w_zp)}, and is dequantized as {@code acc · (float)(x_scale · w_scale[col])} in float32
 * before the biases and the gate math. A range of one value (all zeros) gets scale 1, as in ORT.
 */
public final class DynamicRecurrentOps implements OpFamily {
    public static final String MICROSOFT = "com.microsoft";
    public static final String LSTM = "DynamicQuantizeLSTM";
    public static final String GRU = "DynamicQuantizeGRU";

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                RecurrentOps.commonWithoutLayout(OpSchema.op(MICROSOFT, LSTM).inputs(12, 12).outputs(0, 3))
                        .attr(intAttr("input_forget", 0)).infer(ctx -> infer(ctx, 3, 8)),
                RecurrentOps.commonWithoutLayout(OpSchema.op(dev.kiln.ir.ops.kiln.KilnOps.DOMAIN, GRU).inputs(10, 10).outputs(0, 2))
                        .attr(intAttr("linear_before_reset", 0)).infer(ctx -> infer(ctx, 2, 6)));
    }

    /** Checks the 8-bit weights and float32 scales (from input {@code scales} on), then types the outputs. */
    private static List<ValueType> infer(InferenceContext ctx, int outputs, int scales) {
        for (int i = scales; i < scales + 4; i++) if (!ctx.hasInput(i)) throw ctx.fail("the weights' scales and zero points are required (input " + i + ")");
        NnInference.requireType(ctx, 1, NnInference.QUANTIZED_8BIT, "an int8 or uint8 tensor");
        NnInference.requireType(ctx, 2, NnInference.QUANTIZED_8BIT, "an int8 or uint8 tensor");
        NnInference.requireSameType(ctx, scales + 1, 1);
        NnInference.requireSameType(ctx, scales + 3, 2);
        NnInference.requireSameType(ctx, scales, 0);
        NnInference.requireSameType(ctx, scales + 2, 0);
        return RecurrentOps.infer(ctx, outputs, 1);
    }
}
