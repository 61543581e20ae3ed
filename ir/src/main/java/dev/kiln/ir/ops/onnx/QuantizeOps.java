package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.NnInference.intAttr;

/** Linear (de)quantization: QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear. */
public final class QuantizeOps implements OpFamily {
    /** Element types QuantizeLinear may produce and DequantizeLinear may read (besides int32 for the latter). */
    public static final Set<DType> QUANTIZED = Set.of(DType.I8, DType.U8, DType.I16, DType.U16, DType.I4, DType.U4,
            DType.I2, DType.U2, DType.F8E4M3FN, DType.F8E4M3FNUZ, DType.F8E5M2, DType.F8E5M2FNUZ, DType.F4E2M1);

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("QuantizeLinear").since(10).inputs(2, 3).outputs(1)
                        .attr(intAttr("axis", 1)).attr(intAttr("block_size", 0)).attr(intAttr("output_dtype", 0))
                        .attr(intAttr("saturate", 1)).attr(intAttr("precision", 0))
                        .infer(QuantizeOps::quantize),
                OpSchema.op("DequantizeLinear").since(10).inputs(2, 3).outputs(1)
                        .attr(intAttr("axis", 1)).attr(intAttr("block_size", 0)).attr(intAttr("output_dtype", 0))
                        .infer(QuantizeOps::dequantize),
                OpSchema.op("DynamicQuantizeLinear").since(11).inputs(1).outputs(3).infer(ctx -> {
                    TensorType x = NnInference.requireFloat(ctx, 0);
                    return NnInference.forOutputs(ctx, List.of(new TensorType(DType.U8, x.shape()),
                            new TensorType(DType.F32, Shape.SCALAR), new TensorType(DType.U8, Shape.SCALAR)));
                }));
    }

    /** QuantizeLinear's output type: output_dtype, else the zero point's type, else uint8. */
    public static DType quantizedType(long outputDtype, DType zeroPointType) {
        if (outputDtype != 0) return DType.fromOnnxCode((int) outputDtype);
        return zeroPointType != null ? zeroPointType : DType.U8;
    }

    private static List<ValueType> quantize(InferenceContext ctx) {
        TensorType x = ctx.input(0);
        DType zp = ctx.hasInput(2) ? ctx.inputDType(2) : null;
        long outputDtype = ctx.intAttr("output_dtype", 0);
        DType out;
        try {
            out = quantizedType(outputDtype, zp);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        if (!QUANTIZED.contains(out)) throw ctx.fail("cannot quantize to " + out);
        if (zp != null && outputDtype != 0 && zp != out) throw ctx.fail("output_dtype " + out + " differs from the zero point's type " + zp);
        return List.of(new TensorType(out, x.shape()));
    }

    private static List<ValueType> dequantize(InferenceContext ctx) {
        TensorType x = ctx.input(0);
        if (!QUANTIZED.contains(x.dtype()) && x.dtype() != DType.I32) throw ctx.fail("cannot dequantize " + x.dtype());
        NnInference.requireSameType(ctx, 2, 0);
        long outputDtype = ctx.intAttr("output_dtype", 0);
        DType out;
        try {
            out = outputDtype != 0 ? DType.fromOnnxCode((int) outputDtype) : ctx.inputDType(1);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        if (!out.isFloat()) throw ctx.fail("DequantizeLinear produces floats, not " + out);
        return List.of(new TensorType(out, x.shape()));
    }
}
