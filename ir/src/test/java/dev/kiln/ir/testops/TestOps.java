package dev.kiln.ir.testops;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
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
 * Ops for the IR module's own tests, in the made-up domain {@code test.kiln} so that they never collide with
 * the real families. Each exercises one thing inference can see: broadcasting input shapes, attributes with
 * defaults, a constant input, subgraph outputs, and the types of enclosing scopes; {@code Buggy} stands for an
 * inference with a bug.
 */
public final class TestOps implements OpFamily {
    public static final String DOMAIN = "test.kiln";

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op(DOMAIN, "Add").inputs(2).infer(TestOps::add),
                OpSchema.op(DOMAIN, "Pool").inputs(1).attr(AttrSpec.required("kernel", Attribute.Kind.INTS))
                        .attr(AttrSpec.withDefault("stride", Attribute.of(1L))).infer(TestOps::pool),
                OpSchema.op(DOMAIN, "Reshape").since(2).inputs(2).infer(TestOps::reshape),
                OpSchema.op(DOMAIN, "Concat").inputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.required("axis", Attribute.Kind.INT)).infer(TestOps::concat),
                OpSchema.op(DOMAIN, "If").inputs(1).outputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.required("then_branch", Attribute.Kind.GRAPH))
                        .attr(AttrSpec.required("else_branch", Attribute.Kind.GRAPH)).infer(TestOps::ifBranches),
                OpSchema.op(DOMAIN, "TypeOf").inputs(0).attr(AttrSpec.required("of", Attribute.Kind.STRING))
                        .infer(TestOps::typeOf),
                OpSchema.op(DOMAIN, "Buggy").inputs(0).infer(ctx -> {
                    throw new IllegalStateException("inference bug");
                }));
    }

    private static List<ValueType> add(InferenceContext ctx) {
        if (ctx.inputDType(0) != ctx.inputDType(1)) {
            throw ctx.fail("input types " + ctx.inputDType(0) + " and " + ctx.inputDType(1) + " differ");
        }
        try {
            return InferenceContext.one(new TensorType(ctx.inputDType(0), Broadcast.shapes(List.of(ctx.inputShape(0), ctx.inputShape(1)))));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /** [N, C, H, W] pooled with a square window and stride: spatial dims shrink, others pass through. */
    private static List<ValueType> pool(InferenceContext ctx) {
        long[] kernel = ctx.intsAttr("kernel");
        long stride = ctx.intAttr("stride");
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return InferenceContext.one(new TensorType(ctx.inputDType(0), Shape.UNKNOWN_RANK));
        if (in.rank() != 2 + kernel.length) throw ctx.fail("input rank " + in.rank() + " does not fit kernel " + kernel.length);
        List<Dim> dims = new ArrayList<>(in.dims().subList(0, 2));
        for (int i = 0; i < kernel.length; i++) {
            Dim d = in.dim(2 + i);
            dims.add(d.isStatic() ? Dim.of((d.size() - kernel[i]) / stride + 1) : Dim.UNKNOWN);
        }
        return InferenceContext.one(new TensorType(ctx.inputDType(0), Shape.of(dims)));
    }

    /** The shape comes from input 1 when it is a constant; otherwise only the rank may be known. */
    private static List<ValueType> reshape(InferenceContext ctx) {
        Tensor shape = ctx.constantInput(1);
        if (shape != null) return InferenceContext.one(TensorType.of(ctx.inputDType(0), shape.toLongs()));
        Shape s = ctx.inputShape(1);
        Shape out = s.hasRank() && s.rank() == 1 && s.dim(0).isStatic() ? Shape.unknownDims((int) s.dim(0).size()) : Shape.UNKNOWN_RANK;
        return InferenceContext.one(new TensorType(ctx.inputDType(0), out));
    }

    private static List<ValueType> concat(InferenceContext ctx) {
        int axis = (int) ctx.intAttr("axis");
        List<Dim> dims = new ArrayList<>(ctx.inputShape(0).dims());
        long total = 0;
        for (int i = 0; i < ctx.inputCount(); i++) {
            Dim d = ctx.inputShape(i).dim(axis);
            total = total < 0 || !d.isStatic() ? -1 : total + d.size();
        }
        dims.set(axis, total < 0 ? Dim.UNKNOWN : Dim.of(total));
        return InferenceContext.one(new TensorType(ctx.inputDType(0), Shape.of(dims)));
    }

    private static List<ValueType> ifBranches(InferenceContext ctx) {
        Graph then = ctx.graphAttr("then_branch");
        return then.outputs().stream().map(Value::type).toList();
    }

    private static List<ValueType> typeOf(InferenceContext ctx) {
        String of = ctx.stringAttr("of");
        ValueType t = ctx.visibleType(of);
        if (t == null) throw ctx.fail("no value '" + of + "' is visible");
        return InferenceContext.one(t);
    }
}
