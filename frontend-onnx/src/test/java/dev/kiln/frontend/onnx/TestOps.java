package dev.kiln.frontend.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.Broadcast;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Ops of a made-up domain, registered for the importer's tests only (the real families own the ONNX names).
 * Each exercises one thing inference must see: broadcasting, a constant input, a subgraph, a sequence.
 */
public final class TestOps implements OpFamily {
    public static final String DOMAIN = "test.kiln";

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op(DOMAIN, "Add").inputs(2).outputs(1).infer(ctx -> InferenceContext.one(
                        new TensorType(ctx.inputDType(0), Broadcast.shapes(List.of(ctx.inputShape(0), ctx.inputShape(1)))))),
                // Output = input 0 reshaped to the constant input 1 (unknown dims when input 1 is not constant).
                OpSchema.op(DOMAIN, "Reshape").inputs(2).outputs(1).infer(ctx -> {
                    Tensor shape = ctx.constantInput(1);
                    Shape out = shape == null ? Shape.UNKNOWN_RANK : Shape.of(shape.toLongs());
                    return InferenceContext.one(new TensorType(ctx.inputDType(0), out));
                }),
                // Output = the single output of the 'body' subgraph, run on input 0.
                OpSchema.op(DOMAIN, "Apply").inputs(1).outputs(1).attr(AttrSpec.required("body", Attribute.Kind.GRAPH))
                        .infer(ctx -> {
                            Graph body = ctx.graphAttr("body");
                            return InferenceContext.one(body.outputs().getFirst().type());
                        }),
                // Output: input 0 scaled by attribute 'alpha'; the optional input 1 may be absent.
                OpSchema.op(DOMAIN, "Scale").inputs(1, 2).outputs(1)
                        .attr(AttrSpec.withDefault("alpha", Attribute.of(1.0f)))
                        .infer(ctx -> InferenceContext.one(ctx.input(0))),
                // Passes any value through (sequences and optionals included).
                OpSchema.op(DOMAIN, "Identity").inputs(1).outputs(1).infer(ctx -> InferenceContext.one(ctx.inputType(0))),
                OpSchema.op(DOMAIN, "Split2").inputs(1).outputs(1, 2).infer(ctx -> {
                    List<ValueType> out = new ArrayList<>();
                    for (int i = 0; i < ctx.node().outputs().size(); i++) out.add(new TensorType(ctx.inputDType(0), Shape.UNKNOWN_RANK));
                    return out;
                }));
    }
}
