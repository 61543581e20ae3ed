package dev.kiln.ir.ops.kiln;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fused ops of domain {@code kiln}, made by the fusion passes: a Conv, ConvTranspose or Gemm followed by an
 * epilogue. Each takes its base op's inputs and attributes unchanged and adds:
 * <ul>
 *   <li>{@code activation} (string, default {@code ""} = none): {@code Relu}, {@code Clip}, {@code LeakyRelu},
 *       {@code Sigmoid}, {@code Tanh}, {@code HardSigmoid}, {@code HardSwish}, {@code Gelu} or {@code Silu}
 *       ({@code x * Sigmoid(x)});</li>
 *   <li>{@code activation_params} (floats): {@code [alpha]} for LeakyRelu, {@code [alpha, beta]} for HardSigmoid,
 *       {@code [min, max]} for Clip, none otherwise;</li>
 *   <li>{@code activation_approximate} (string, default {@code "none"}): Gelu's {@code approximate};</li>
 *   <li>{@code residual} (string, default {@code "none"}, Conv and ConvTranspose only): where input 3 (Z, the
 *       residual, of the output's type) is added — {@code "before_activation"} computes {@code act(conv + Z)}
 *       (ResNet's conv → BN → Add → Relu), {@code "after_activation"} computes {@code act(conv) + Z}.</li>
 * </ul>
 * The output type is the base op's: inference runs the base op's schema on the base inputs and attributes.
 */
public final class FusedOps implements OpFamily {
    public static final String DOMAIN = "kiln";
    /** Epilogue attributes; everything else on a fused node belongs to its base op. */
    public static final Set<String> EPILOGUE_ATTRS = Set.of("activation", "activation_params", "activation_approximate", "residual");
    public static final Set<String> ACTIVATIONS = Set.of("", "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh",
            "HardSigmoid", "HardSwish", "Gelu", "Silu");
    public static final Set<String> RESIDUALS = Set.of("none", "before_activation", "after_activation");
    /** The opset the base op's inference runs at: Conv, ConvTranspose and Gemm are unchanged from opset 11 on. */
    private static final int BASE_OPSET = 13;

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                fused(OpSchema.op(DOMAIN, "FusedConv").since(1).inputs(2, 4), true)
                        .attr(stringAttr("auto_pad", "NOTSET")).attr(ints("dilations")).attr(intAttr("group", 1))
                        .attr(ints("kernel_shape")).attr(ints("pads")).attr(ints("strides"))
                        .infer(ctx -> infer(ctx, "Conv", true)),
                fused(OpSchema.op(DOMAIN, "FusedConvTranspose").since(1).inputs(2, 4), true)
                        .attr(stringAttr("auto_pad", "NOTSET")).attr(ints("dilations")).attr(intAttr("group", 1))
                        .attr(ints("kernel_shape")).attr(ints("pads")).attr(ints("strides"))
                        .attr(ints("output_padding")).attr(ints("output_shape"))
                        .infer(ctx -> infer(ctx, "ConvTranspose", true)),
                fused(OpSchema.op(DOMAIN, "FusedGemm").since(1).inputs(2, 3), false)
                        .attr(AttrSpec.withDefault("alpha", Attribute.of(1f))).attr(AttrSpec.withDefault("beta", Attribute.of(1f)))
                        .attr(intAttr("transA", 0)).attr(intAttr("transB", 0))
                        .infer(ctx -> infer(ctx, "Gemm", false)));
    }

    private static OpSchema.Builder fused(OpSchema.Builder b, boolean residual) {
        b.outputs(1).attr(stringAttr("activation", "")).attr(AttrSpec.optional("activation_params", Attribute.Kind.FLOATS))
                .attr(stringAttr("activation_approximate", "none"));
        return residual ? b.attr(stringAttr("residual", "none")) : b;
    }

    /** The base op's inferred type, after checking the epilogue's attributes and the residual's type. */
    private static List<ValueType> infer(InferenceContext ctx, String base, boolean residual) {
        Node node = ctx.node();
        String activation = ctx.attr("activation").asString();
        if (!ACTIVATIONS.contains(activation)) throw ctx.fail("unknown activation '" + activation + "'");
        int params = ctx.hasAttr("activation_params") ? ctx.attr("activation_params").asFloats().length : 0;
        int want = switch (activation) {
            case "LeakyRelu" -> 1;
            case "HardSigmoid", "Clip" -> 2;
            default -> 0;
        };
        if (params != want) throw ctx.fail("activation " + activation + " takes " + want + " activation_params, got " + params);
        String placement = residual ? ctx.attr("residual").asString() : "none";
        if (!RESIDUALS.contains(placement)) throw ctx.fail("residual must be one of " + RESIDUALS + ", got '" + placement + "'");
        if (placement.equals("none") == ctx.hasInput(3)) throw ctx.fail("residual '" + placement + "' needs input 3 exactly when it is not 'none'");
        OpSchema schema = OpRegistry.standard().find("", base);
        Node baseNode = baseNode(node, base);
        List<ValueType> out = schema.inference().infer(new InferenceContext(baseNode, schema, BASE_OPSET, ctx.constants(), ctx.visibleTypes()));
        if (ctx.hasInput(3) && !ctx.input(3).equals(out.get(0))) {
            throw ctx.fail("residual " + ctx.input(3) + " must have the output's type " + out.get(0));
        }
        return out;
    }

    /** The base op's node: the first three inputs and every attribute but the epilogue's. */
    public static Node baseNode(Node fused, String base) {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        fused.attributes().forEach((k, v) -> { if (!EPILOGUE_ATTRS.contains(k)) attrs.put(k, v); });
        List<Value> inputs = fused.inputs().subList(0, Math.min(3, fused.inputs().size()));
        while (!inputs.isEmpty() && inputs.getLast().isAbsent()) inputs = inputs.subList(0, inputs.size() - 1);
        return new Node(fused.name(), "", base, inputs, fused.outputs(), attrs);
    }

    private static AttrSpec stringAttr(String name, String def) { return AttrSpec.withDefault(name, Attribute.of(def)); }

    private static AttrSpec intAttr(String name, long def) { return AttrSpec.withDefault(name, Attribute.of(def)); }

    private static AttrSpec ints(String name) { return AttrSpec.optional(name, Attribute.Kind.INTS); }
}
