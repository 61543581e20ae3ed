package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The activation of a fused op, applied by running the standalone activation op's kernel on a node rebuilt from the
 * fused node's {@code activation}, {@code activation_params} and {@code activation_approximate} attributes.
 */
final class FusedEpilogue {
    /** Base ops run at least at this opset (Gemm's C optional, Clip's bounds as inputs); their math is unchanged. */
    static final int MIN_BASE_OPSET = 13;
    /** Clip runs at opset 6, where min and max are attributes, since the fused node keeps them as floats. */
    private static final int CLIP_ATTRIBUTE_OPSET = 6;

    private final KernelContext ctx;
    private final int opset;

    FusedEpilogue(KernelContext ctx, int opset) {
        this.ctx = ctx;
        this.opset = opset;
    }

    Tensor activate(Tensor y) {
        String activation = ctx.stringAttr("activation", "");
        float[] p = ctx.floatsAttr("activation_params");
        return switch (activation) {
            case "" -> y;
            case "Relu", "Sigmoid", "Tanh", "HardSwish" -> unary(activation, y, Map.of(), opset);
            case "LeakyRelu" -> unary(activation, y, Map.of("alpha", Attribute.of(param(p, 0))), opset);
            case "HardSigmoid" -> unary(activation, y, Map.of("alpha", Attribute.of(param(p, 0)), "beta", Attribute.of(param(p, 1))), opset);
            case "Clip" -> unary(activation, y, Map.of("min", Attribute.of(param(p, 0)), "max", Attribute.of(param(p, 1))), CLIP_ATTRIBUTE_OPSET);
            case "Gelu" -> unary(activation, y, Map.of("approximate", Attribute.of(ctx.stringAttr("activation_approximate", "none"))), opset);
            case "Silu" -> {
                Tensor s = unary("Sigmoid", y, Map.of(), opset);
                yield (Tensor) FusedKernels.run(ctx, node("Mul", 2, Map.of()), List.<RuntimeValue>of(y, s), opset);
            }
            default -> throw ctx.fail("unknown activation '" + activation + "'");
        };
    }

    private float param(float[] params, int i) {
        if (params == null || i >= params.length) throw ctx.fail("activation_params needs at least " + (i + 1) + " values");
        return params[i];
    }

    private Tensor unary(String op, Tensor y, Map<String, Attribute> attrs, int atOpset) {
        return (Tensor) FusedKernels.run(ctx, node(op, 1, attrs), List.<RuntimeValue>of(y), atOpset);
    }

    /** A standard node reading the fused output's type {@code arity} times and producing it. */
    private Node node(String op, int arity, Map<String, Attribute> attrs) {
        Value out = ctx.node().output(0);
        return new Node(ctx.node().name(), "", op, Collections.nCopies(arity, out), List.of(out), new LinkedHashMap<>(attrs));
    }
}
