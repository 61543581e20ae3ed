package dev.kiln.ir.ops.kiln;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.ops.onnx.ConvOps;
import dev.kiln.ir.ops.onnx.NormalizationOps;
import dev.kiln.ir.ops.onnx.PoolOps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The blocked channel layout NCHWc, made by the {@code transform-layout} pass for targets preferring
 * {@code NCHW_BLOCKED}: a 4-D N,C,H,W tensor is held as 5-D N,ceil(C/b),H,W,b, channel c at [n, c/b, h, w, c%b],
 * the channels past C zero. {@code kiln:ToBlocked} (attribute {@code block}) makes that form from NCHW;
 * {@code kiln:FromBlocked} (attributes {@code block}, {@code channels}: the C to keep, dropping the padding) makes
 * NCHW back. The twins {@code kiln:NchwcConv}, {@code kiln:NchwcMaxPool}, {@code kiln:NchwcAveragePool},
 * {@code kiln:NchwcGlobalAveragePool}, {@code kiln:NchwcGlobalMaxPool}, {@code kiln:NchwcBatchNormalization} take
 * the standard op's inputs and attributes (Conv's W stays OIHW) plus {@code block} and {@code channels} (input 0's
 * C), with input 0 and the single output blocked; types come from the standard op's inference on the NCHW view, at
 * the newest opset of the default domain.
 */
public final class NchwcOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        List<OpSchema> schemas = new ArrayList<>();
        schemas.add(OpSchema.op("kiln", "ToBlocked").since(1).inputs(1).outputs(1)
                .attr(AttrSpec.required("block", Attribute.Kind.INT)).infer(NchwcOps::inferToBlocked));
        schemas.add(OpSchema.op("kiln", "FromBlocked").since(1).inputs(1).outputs(1)
                .attr(AttrSpec.required("block", Attribute.Kind.INT))
                .attr(AttrSpec.required("channels", Attribute.Kind.INT)).infer(NchwcOps::inferFromBlocked));
        Stream.of(new ConvOps(), new PoolOps(), new NormalizationOps()).flatMap(f -> f.schemas().stream())
                .filter(s -> NhwcOps.BASE_OPS.contains(s.name())).map(NchwcOps::twin).forEach(schemas::add);
        return schemas;
    }

    /** {@code kiln:Nchwc<base>}'s op name. */
    public static String twinOf(String baseOp) { return "Nchwc" + baseOp; }

    /** The blocked form of a 4-D NCHW type; its channel count must be static. */
    public static TensorType blocked(TensorType nchw, long block) {
        Shape s = nchw.shape();
        long c = s.dim(1).size();
        return new TensorType(nchw.dtype(), Shape.of(List.of(s.dim(0), Dim.of((c + block - 1) / block), s.dim(2),
                s.dim(3), Dim.of(block))));
    }

    /** The NCHW view of a 5-D blocked type holding {@code channels} channels. */
    public static TensorType unblocked(TensorType blocked, long channels) {
        Shape s = blocked.shape();
        return new TensorType(blocked.dtype(), Shape.of(List.of(s.dim(0), Dim.of(channels), s.dim(2), s.dim(3))));
    }

    private static List<ValueType> inferToBlocked(InferenceContext ctx) {
        TensorType x = ctx.input(0);
        long block = block(ctx);
        if (!x.shape().hasRank() || x.shape().rank() != 4 || !x.shape().dim(1).isStatic()) {
            throw ctx.fail("input 0 must be a 4-D NCHW tensor with a static channel count, got " + x);
        }
        return List.of(blocked(x, block));
    }

    private static List<ValueType> inferFromBlocked(InferenceContext ctx) {
        return List.of(nchwView(ctx));
    }

    private static OpSchema twin(OpSchema base) {
        Map<String, AttrSpec> attrs = new LinkedHashMap<>(base.attributes());
        attrs.put("block", AttrSpec.required("block", Attribute.Kind.INT));
        attrs.put("channels", AttrSpec.required("channels", Attribute.Kind.INT));
        return new OpSchema("kiln", twinOf(base.name()), 1, base.minInputs(), base.maxInputs(), 1, 1, attrs,
                ctx -> inferTwin(base, ctx));
    }

    private static List<ValueType> inferTwin(OpSchema base, InferenceContext ctx) {
        Node node = ctx.node();
        List<Value> inputs = new ArrayList<>(node.inputs());
        inputs.set(0, new Value(inputs.get(0).name(), nchwView(ctx)));
        Node standard = new Node(node.name(), "", base.name(), inputs, node.outputs(), node.attributes());
        List<ValueType> types = base.inference().infer(new InferenceContext(standard, base, Integer.MAX_VALUE,
                ctx.constants(), ctx.visibleTypes()));
        if (!(types.getFirst() instanceof TensorType y) || !y.shape().hasRank() || y.shape().rank() != 4
                || !y.shape().dim(1).isStatic()) {
            throw ctx.fail("the standard " + base.name() + " gives " + types.getFirst()
                    + ", not a 4-D tensor with a static channel count");
        }
        return List.of(blocked(y, block(ctx)));
    }

    /** Input 0 (blocked) checked against {@code block} and {@code channels}, seen as NCHW. */
    private static TensorType nchwView(InferenceContext ctx) {
        TensorType x = ctx.input(0);
        long block = block(ctx);
        long channels = ctx.intAttr("channels");
        if (channels < 1) throw ctx.fail("channels must be positive, got " + channels);
        Shape s = x.shape();
        if (!s.hasRank() || s.rank() != 5) throw ctx.fail("input 0 must be a 5-D blocked tensor, got " + x);
        if (!s.dim(4).isStatic() || s.dim(4).size() != block) throw ctx.fail("input 0's last dim must be the block " + block + ", got " + x);
        long groups = (channels + block - 1) / block;
        if (!s.dim(1).isStatic() || s.dim(1).size() != groups) {
            throw ctx.fail("input 0 must have " + groups + " channel blocks for " + channels + " channels, got " + x);
        }
        return unblocked(x, channels);
    }

    private static long block(InferenceContext ctx) {
        long block = ctx.intAttr("block");
        if (block < 1) throw ctx.fail("block must be positive, got " + block);
        return block;
    }
}
