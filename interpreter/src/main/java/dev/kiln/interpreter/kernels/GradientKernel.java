package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ai.onnx.preview.training:Gradient. The values named {@code xs} and {@code zs} are bound to the node's inputs, the
 * nodes computing {@code y} from them are re-run forward with the reference kernels (recording every value), and the
 * gradient is propagated back from y with per-op {@link GradientRule}s. The seed is a tensor of ones, so for a
 * non-scalar y the outputs are the gradients of the sum of y's elements (what the ONNX test data and training
 * frameworks use). An x that y does not depend on gets a gradient of zeros.
 */
final class GradientKernel {
    private GradientKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        List<String> xs = strings(ctx, "xs");
        List<String> zs = strings(ctx, "zs");
        String y = ctx.stringAttr("y", null);
        if (xs == null || xs.isEmpty() || y == null) throw ctx.fail("attributes xs and y are required");
        if (ctx.inputCount() != xs.size() + zs.size()) {
            throw ctx.fail("takes one input per name in xs and zs (" + (xs.size() + zs.size()) + "), got " + ctx.inputCount());
        }
        List<String> leafNames = new ArrayList<>(xs);
        leafNames.addAll(zs);
        Set<String> leaves = new LinkedHashSet<>(leafNames);
        if (leaves.size() != leafNames.size()) throw ctx.fail("xs and zs must name distinct values, got " + leafNames);
        for (int i = 0; i < leafNames.size(); i++) ctx.input(i); // each must be a tensor

        Map<String, GradientArray> grads = new HashMap<>();
        if (leaves.contains(y)) {
            grads.put(y, GradientArray.filled(ctx.input(leafNames.indexOf(y)).shape(), 1));
        } else {
            GradientPath path = GradientPath.extract(ctx, leaves, xs, y);
            if (path.nodes().isEmpty()) return zerosLike(ctx, xs.size()); // y is a graph input or constant
            path.requireRules(ctx);
            Map<String, RuntimeValue> values = forward(ctx, path, leafNames);
            if (!(values.get(y) instanceof Tensor yValue) || !yValue.dtype().isFloat()) {
                throw ctx.fail("y '" + y + "' must be a floating-point tensor, got " + values.get(y));
            }
            grads.put(y, GradientArray.filled(yValue.shape(), 1));
            backward(ctx, path, values, grads);
        }
        List<RuntimeValue> out = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            GradientArray g = grads.get(xs.get(i));
            out.add(g == null ? zeros(ctx.input(i)) : g.toTensor(ctx.input(i).dtype()));
        }
        return out;
    }

    private static List<RuntimeValue> zerosLike(KernelContext ctx, int count) {
        List<RuntimeValue> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(zeros(ctx.input(i)));
        return out;
    }

    private static Tensor zeros(Tensor like) { return Tensor.zeros(like.dtype(), like.shape()); }

    /** Runs the path with the leaves bound to the node's inputs; returns every recorded value by name. */
    private static Map<String, RuntimeValue> forward(KernelContext ctx, GradientPath path, List<String> leafNames) {
        List<Value> inputs = new ArrayList<>(leafNames.size());
        for (int i = 0; i < leafNames.size(); i++) inputs.add(new Value(leafNames.get(i), ctx.node().input(i).type()));
        List<Value> recorded = path.recorded();
        Graph body = new Graph(ctx.graph().name() + "/gradient_forward", inputs, recorded, path.nodes(), Map.of(),
                ctx.graph().opsets());
        List<RuntimeValue> results = ctx.runSubgraph(body, ctx.inputs());
        Map<String, RuntimeValue> values = new HashMap<>();
        for (int i = 0; i < recorded.size(); i++) values.put(recorded.get(i).name(), results.get(i));
        return values;
    }

    /** Visits the path in reverse order, adding each node's input gradients into {@code grads}. */
    private static void backward(KernelContext ctx, GradientPath path, Map<String, RuntimeValue> values,
                                 Map<String, GradientArray> grads) {
        List<Node> nodes = path.nodes();
        for (int n = nodes.size() - 1; n >= 0; n--) {
            Node node = nodes.get(n);
            if (!path.carriesGradient(node)) continue;
            GradientArray[] outGrads = new GradientArray[node.outputs().size()];
            boolean any = false;
            for (int i = 0; i < outGrads.length; i++) {
                outGrads[i] = node.output(i).isAbsent() ? null : grads.get(node.output(i).name());
                any |= outGrads[i] != null;
            }
            if (!any) continue;
            boolean[] wanted = new boolean[node.inputs().size()];
            for (int i = 0; i < wanted.length; i++) wanted[i] = !node.input(i).isAbsent() && path.isLive(node.input(i).name());
            GradientStep step = new GradientStep(node, ctx.graph().opset(node.domain()), tensors(node.inputs(), values),
                    tensors(node.outputs(), values), outGrads, wanted);
            GradientArray[] inGrads = GradientRules.find(node.qualifiedOp()).backward(step);
            for (int i = 0; i < wanted.length; i++) {
                if (!wanted[i] || i >= inGrads.length || inGrads[i] == null) continue;
                Tensor in = step.inputTensor(i);
                if (!Arrays.equals(inGrads[i].shape(), in.shape())) {
                    throw ctx.fail("derivative rule of " + node.describe() + " gave input " + i + " a gradient of shape "
                            + Arrays.toString(inGrads[i].shape()) + ", not " + Arrays.toString(in.shape()));
                }
                grads.merge(node.input(i).name(), inGrads[i], GradientArray::plus);
            }
        }
    }

    private static List<Tensor> tensors(List<Value> names, Map<String, RuntimeValue> values) {
        List<Tensor> out = new ArrayList<>(names.size());
        for (Value v : names) out.add(!v.isAbsent() && values.get(v.name()) instanceof Tensor t ? t : null);
        return out;
    }

    private static List<String> strings(KernelContext ctx, String name) {
        Attribute a = ctx.attr(name);
        return a == null ? List.of() : a.asStrings();
    }
}
