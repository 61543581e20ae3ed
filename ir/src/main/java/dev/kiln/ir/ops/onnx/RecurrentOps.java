package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.NnInference.intAttr;
import static dev.kiln.ir.ops.onnx.NnInference.stringAttr;

/** Recurrent layers: RNN, GRU and LSTM (X, W, R, B, sequence_lens, initial states; outputs Y, Y_h, Y_c). */
public final class RecurrentOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                common(OpSchema.op("RNN").inputs(3, 6).outputs(0, 2)).infer(ctx -> infer(ctx, 2)),
                common(OpSchema.op("GRU").inputs(3, 6).outputs(0, 2)).attr(intAttr("linear_before_reset", 0))
                        .infer(ctx -> infer(ctx, 2)),
                common(OpSchema.op("LSTM").inputs(3, 8).outputs(0, 3)).attr(intAttr("input_forget", 0))
                        .infer(ctx -> infer(ctx, 3)));
    }

    static OpSchema.Builder common(OpSchema.Builder b) {
        return commonWithoutLayout(b).attr(intAttr("layout", 0));
    }

    /** The attributes RNN, GRU and LSTM share, less {@code layout} (which ONNX Runtime's quantized LSTM lacks). */
    static OpSchema.Builder commonWithoutLayout(OpSchema.Builder b) {
        return b.since(1)
                .attr(AttrSpec.optional("activation_alpha", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional("activation_beta", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional("activations", Attribute.Kind.STRINGS))
                .attr(AttrSpec.optional("clip", Attribute.Kind.FLOAT))
                .attr(stringAttr("direction", "forward"))
                .attr(AttrSpec.optional("hidden_size", Attribute.Kind.INT))
                .attr(AttrSpec.optional("output_sequence", Attribute.Kind.INT));
    }

    /** Number of directions for the direction attribute. */
    public static int directions(String direction) {
        return switch (direction) {
            case "forward", "reverse" -> 1;
            case "bidirectional" -> 2;
            default -> throw new IllegalArgumentException("unknown direction '" + direction + "'");
        };
    }

    private static List<ValueType> infer(InferenceContext ctx, int outputs) {
        NnInference.requireSameType(ctx, 1, 0);
        NnInference.requireSameType(ctx, 2, 0);
        return infer(ctx, outputs, 2);
    }

    /**
     * Output types from X (rank 3, float) and the direction, layout and hidden size; the hidden size defaults to
     * R's dimension {@code hiddenAxis} (2 in ONNX's {@code [dirs, gates·hidden, hidden]}).
     */
    static List<ValueType> infer(InferenceContext ctx, int outputs, int hiddenAxis) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        NnInference.requireRank(ctx, 0, 3);
        NnInference.requireRank(ctx, 1, 3);
        NnInference.requireRank(ctx, 2, 3);
        int dirs;
        try {
            dirs = directions(ctx.stringAttr("direction"));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        boolean batchFirst = ctx.intAttr("layout", 0) != 0;
        Shape xs = x.shape();
        Dim seq = xs.hasRank() ? xs.dim(batchFirst ? 1 : 0) : Dim.UNKNOWN;
        Dim batch = xs.hasRank() ? xs.dim(batchFirst ? 0 : 1) : Dim.UNKNOWN;
        Dim hidden;
        if (ctx.hasAttr("hidden_size")) {
            long size = ctx.intAttr("hidden_size");
            if (size < 1) throw ctx.fail("hidden_size must be positive, got " + size);
            hidden = Dim.of(size);
        } else {
            Shape r = ctx.inputShape(2);
            hidden = r.hasRank() ? r.dim(hiddenAxis) : Dim.UNKNOWN;
        }
        Dim d = Dim.of(dirs);
        Shape y = Shape.of(batchFirst ? List.of(batch, seq, d, hidden) : List.of(seq, d, batch, hidden));
        Shape state = Shape.of(batchFirst ? List.of(batch, d, hidden) : List.of(d, batch, hidden));
        List<ValueType> out = new ArrayList<>();
        out.add(new TensorType(x.dtype(), y));
        for (int i = 1; i < outputs; i++) out.add(new TensorType(x.dtype(), state));
        return NnInference.forOutputs(ctx, out);
    }
}
