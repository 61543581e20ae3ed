package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.List;

/**
 * Softmax, LogSoftmax and Hardmax. Their axis default changed at opset 13 (1 with 2-D flattening before, -1 along
 * one axis since), so the schema leaves axis without a default and the kernels pick it by opset.
 */
public final class SoftmaxOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(schema("Softmax"), schema("LogSoftmax"), schema("Hardmax"));
    }

    private static OpSchema schema(String name) {
        return OpSchema.op(name).since(1).inputs(1).outputs(1).attr(AttrSpec.optional("axis", Attribute.Kind.INT))
                .infer(ctx -> {
                    var x = NnInference.requireFloat(ctx, 0);
                    if (x.shape().hasRank() && ctx.hasAttr("axis")) {
                        NnInference.axis(ctx, ctx.intAttr("axis"), x.shape().rank());
                    }
                    return List.of(x);
                });
    }
}
