package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ai.onnx.preview.training:Gradient: the derivatives of the value named {@code y} with respect to the values named
 * {@code xs}, evaluated at the node's inputs (the values of {@code xs}, then of {@code zs}). Output i has the type of
 * {@code xs[i]}.
 */
public final class TrainingGradientOps implements OpFamily {
    private static final Set<DType> GRADIENT_TYPES_V1 = Set.of(DType.F16, DType.F32, DType.F64);

    @Override
    public List<OpSchema> schemas() {
        return List.of(OpSchema.op(MiscOps.TRAINING, "Gradient").since(1)
                .inputs(1, Integer.MAX_VALUE).outputs(1, Integer.MAX_VALUE)
                .attr(AttrSpec.required("xs", Attribute.Kind.STRINGS))
                .attr(AttrSpec.optional("zs", Attribute.Kind.STRINGS))
                .attr(AttrSpec.required("y", Attribute.Kind.STRING))
                .infer(TrainingGradientOps::infer));
    }

    private static List<ValueType> infer(InferenceContext ctx) {
        List<String> xs = ctx.attr("xs").asStrings();
        List<String> zs = ctx.hasAttr("zs") ? ctx.attr("zs").asStrings() : List.of();
        if (xs.isEmpty()) throw ctx.fail("xs must name at least one value");
        if (ctx.inputCount() != xs.size() + zs.size()) {
            throw ctx.fail("takes one input per name in xs and zs (" + (xs.size() + zs.size()) + "), got " + ctx.inputCount());
        }
        if (ctx.node().outputs().size() != xs.size()) {
            throw ctx.fail("has one output per name in xs (" + xs.size() + "), got " + ctx.node().outputs().size());
        }
        List<ValueType> types = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            TensorType fed = ctx.input(i);
            // xs[i] may be defined after this node; then the value fed for it is the best type there is
            ValueType named = ctx.visibleType(xs.get(i));
            if (named != null && !(named instanceof TensorType)) throw ctx.fail("xs value '" + xs.get(i) + "' must be a tensor, got " + named);
            TensorType x = named == null ? fed : (TensorType) named;
            if (x.dtype() != fed.dtype()) {
                throw ctx.fail("input " + i + " is " + fed.dtype() + " but xs value '" + xs.get(i) + "' is " + x.dtype());
            }
            boolean allowed = GRADIENT_TYPES_V1.contains(x.dtype()) || (ctx.opset() >= 2 && x.dtype() == DType.BF16);
            if (!allowed) throw ctx.fail("can only differentiate with respect to floating-point tensors, '" + xs.get(i) + "' is " + x.dtype());
            types.add(x);
        }
        return types;
    }
}
