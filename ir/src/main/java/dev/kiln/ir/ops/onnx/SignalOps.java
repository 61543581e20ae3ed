package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.ControlFamilyDims.FLOATS;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;

/** Signal processing: DFT (opset 17 and 20 forms), STFT, the Hann/Hamming/Blackman windows, MelWeightMatrix. */
public final class SignalOps implements OpFamily {
    private static final Set<DType> INTS = Set.of(DType.I32, DType.I64);

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("DFT").since(17).inputs(1, 3).outputs(1)
                        .attr(AttrSpec.optional("axis", Attribute.Kind.INT))
                        .attr(AttrSpec.withDefault("inverse", Attribute.of(0L)))
                        .attr(AttrSpec.withDefault("onesided", Attribute.of(0L)))
                        .infer(SignalOps::inferDft),
                OpSchema.op("STFT").since(17).inputs(2, 4).outputs(1)
                        .attr(AttrSpec.withDefault("onesided", Attribute.of(1L)))
                        .infer(SignalOps::inferStft),
                window("HannWindow"), window("HammingWindow"), window("BlackmanWindow"),
                OpSchema.op("MelWeightMatrix").since(17).inputs(5).outputs(1)
                        .attr(AttrSpec.withDefault("output_datatype", Attribute.of((long) DType.F32.onnxCode())))
                        .infer(SignalOps::inferMel));
    }

    private static List<ValueType> inferDft(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, FLOATS, "input");
        if (ctx.hasInput(1)) requireDType(ctx, 1, INTS, "dft_length");
        if (ctx.hasInput(2)) {
            if (ctx.opset() < 20) throw ctx.fail("the axis input needs opset 20 (use the axis attribute)");
            requireDType(ctx, 2, Set.of(DType.I64), "axis");
        }
        boolean inverse = ctx.intAttr("inverse") != 0, onesided = ctx.intAttr("onesided") != 0;
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return InferenceContext.one(new TensorType(t, Shape.UNKNOWN_RANK));
        int rank = in.rank();
        if (rank < 2) throw ctx.fail("input must have rank >= 2 (the last dim holds 1 real or 2 complex parts), got " + in);
        Dim parts = in.dim(rank - 1);
        if (parts.isStatic() && parts.size() != 1 && parts.size() != 2) throw ctx.fail("the last dim must be 1 or 2, got " + parts);
        Long axis;
        if (ctx.opset() < 20) {
            axis = ctx.intAttr("axis", 1);
        } else if (!ctx.hasInput(2)) {
            axis = -2L;
        } else {
            Tensor a = ctx.constantInput(2);
            axis = a == null ? null : Long.valueOf(a.getLong(0));
        }
        List<Dim> dims = new ArrayList<>(in.dims());
        dims.set(rank - 1, Dim.of(inverse && onesided ? 1 : 2));
        if (axis == null) {
            return InferenceContext.one(new TensorType(t, Shape.unknownDims(rank)));
        }
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank - 1) throw ctx.fail("axis " + axis + " is out of range for input rank " + rank);
        Tensor lengthInput = ctx.constantInput(1);
        if (lengthInput != null && lengthInput.getLong(0) < 1) throw ctx.fail("dft_length must be positive, got " + lengthInput.getLong(0));
        Dim length = ctx.hasInput(1) ? (lengthInput == null ? Dim.UNKNOWN : Dim.of(lengthInput.getLong(0))) : null;
        Dim signal = in.dim((int) a);
        Dim out;
        if (inverse && onesided) {
            out = length != null ? length : signal.isStatic() ? Dim.of(2 * (signal.size() - 1)) : Dim.UNKNOWN;
        } else {
            Dim n = length != null ? length : signal;
            out = onesided ? (n.isStatic() ? Dim.of(n.size() / 2 + 1) : Dim.UNKNOWN) : n;
        }
        dims.set((int) a, out);
        return InferenceContext.one(new TensorType(t, Shape.of(dims)));
    }

    private static List<ValueType> inferStft(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, FLOATS, "signal");
        requireDType(ctx, 1, INTS, "frame_step");
        if (ctx.hasInput(2)) requireDType(ctx, 2, Set.of(t), "window");
        if (ctx.hasInput(3)) requireDType(ctx, 3, INTS, "frame_length");
        if (!ctx.hasInput(2) && !ctx.hasInput(3)) throw ctx.fail("either window or frame_length is required");
        Shape s = ControlFamilyDims.requireRank(ctx, 0, 3, 3, "signal");
        Dim batch = s == null ? Dim.UNKNOWN : s.dim(0);
        Dim frameLength = Dim.UNKNOWN;
        Tensor fl = ctx.constantInput(3);
        if (fl != null) frameLength = Dim.of(fl.getLong(0));
        else if (ctx.hasInput(2) && ctx.inputShape(2).hasRank() && ctx.inputShape(2).rank() == 1) frameLength = ctx.inputShape(2).dim(0);
        Tensor step = ctx.constantInput(1);
        Dim frames = Dim.UNKNOWN;
        if (s != null && step != null && s.dim(1).isStatic() && frameLength.isStatic() && step.getLong(0) > 0) {
            frames = Dim.of(Math.max(0, (s.dim(1).size() - frameLength.size()) / step.getLong(0) + 1));
        }
        boolean onesided = ctx.intAttr("onesided") != 0;
        Dim bins = !frameLength.isStatic() ? Dim.UNKNOWN : onesided ? Dim.of(frameLength.size() / 2 + 1) : frameLength;
        return InferenceContext.one(new TensorType(t, ControlFamilyDims.shape(batch, frames, bins, Dim.of(2))));
    }

    private static OpSchema window(String name) {
        return OpSchema.op(name).since(17).inputs(1).outputs(1)
                .attr(AttrSpec.withDefault("periodic", Attribute.of(1L)))
                .attr(AttrSpec.withDefault("output_datatype", Attribute.of((long) DType.F32.onnxCode())))
                .infer(ctx -> {
                    requireDType(ctx, 0, INTS, "size");
                    Tensor size = ctx.constantInput(0);
                    Dim n = size == null ? Dim.UNKNOWN : Dim.of(Math.max(0, size.getLong(0)));
                    return InferenceContext.one(new TensorType(outputType(ctx), ControlFamilyDims.shape(n)));
                });
    }

    private static DType outputType(InferenceContext ctx) {
        try {
            DType t = DType.fromOnnxCode((int) ctx.intAttr("output_datatype"));
            if (t == DType.STRING || t == DType.BOOL || t.kind() == DType.Kind.COMPLEX) throw ctx.fail("output_datatype must be numeric, got " + t);
            return t;
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    private static List<ValueType> inferMel(InferenceContext ctx) {
        for (int i = 0; i < 3; i++) requireDType(ctx, i, INTS, "input " + i);
        requireDType(ctx, 3, FLOATS, "lower_edge_hertz");
        requireDType(ctx, 4, FLOATS, "upper_edge_hertz");
        Tensor mel = ctx.constantInput(0), dft = ctx.constantInput(1);
        Dim bins = dft == null ? Dim.UNKNOWN : Dim.of(dft.getLong(0) / 2 + 1);
        Dim mels = mel == null ? Dim.UNKNOWN : Dim.of(mel.getLong(0));
        return InferenceContext.one(new TensorType(outputType(ctx), ControlFamilyDims.shape(bins, mels)));
    }
}
