package dev.kiln.ir.ops.kiln;

import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;

import java.util.List;

/**
 * {@code kiln:FusedElementwise(inputs...)} evaluates the elementwise expression in its GRAPH attribute {@code body}
 * as one kernel. The body's formal inputs are the op's inputs in order (same types); its nodes are elementwise and
 * broadcasting ops only (unary math, activations, arithmetic, comparisons, Where, Cast) and its one output is the
 * op's output, whose shape is the broadcast of the inputs' shapes. Small constants live inside the body.
 */
final class FusedElementwiseInference {
    private FusedElementwiseInference() {}

    static List<ValueType> infer(InferenceContext ctx) {
        Graph body = ctx.graphAttr("body");
        if (body.inputs().size() != ctx.inputCount()) {
            throw ctx.fail("body takes " + body.inputs().size() + " inputs, the op has " + ctx.inputCount());
        }
        if (body.outputs().size() != 1) throw ctx.fail("body must have one output, has " + body.outputs().size());
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (!(body.inputs().get(i).type() instanceof TensorType formal) || formal.dtype() != ctx.inputDType(i)) {
                throw ctx.fail("input " + i + " is " + ctx.inputDType(i) + ", the body expects " + body.inputs().get(i).type());
            }
        }
        return InferenceContext.one(body.outputs().get(0).type());
    }
}
