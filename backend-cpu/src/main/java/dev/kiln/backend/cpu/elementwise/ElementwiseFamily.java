package dev.kiln.backend.cpu.elementwise;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuKernelFamily;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated Vector API kernels for kiln:FusedElementwise groups and lone float32 elementwise ops. The broadcast
 * pattern is fixed from the declared types (symbolic dims count as equal when they share a name), so one kernel
 * serves every batch size.
 */
public final class ElementwiseFamily implements CpuKernelFamily {
    /** Generated only inside fused groups: a lone Clip is not generated, and lone Erf and Gelu run as vector-math rows. */
    private static final java.util.Set<String> LEFT_TO_OTHERS = java.util.Set.of("Clip", "Erf", "Gelu");

    @Override
    public Step bind(Node node, Graph graph, Slots slots, CpuContext context) {
        if (node.outputs().size() != 1) return null;
        Graph body = body(node);
        if (body == null) return null;
        List<Value> outer = node.inputs();
        if (outer.size() != body.inputs().size() || outer.stream().anyMatch(Value::isAbsent)) return null;
        List<Tensor> fixed = new ArrayList<>();
        body = withTensorConstantsAsInputs(body, fixed);
        List<dev.kiln.ir.Shape> shapes = new ArrayList<>();
        for (Value v : outer) {
            if (!(v.type() instanceof TensorType t)) return null;
            shapes.add(t.shape());
        }
        for (Tensor t : fixed) shapes.add(dev.kiln.ir.Shape.of(t.shape()));
        if (!(node.output(0).type() instanceof TensorType out)) return null;
        BroadcastLayout.Axis[][] axes = BroadcastLayout.classify(shapes, out.shape());
        if (axes == null) return null;
        boolean[] varying = BroadcastLayout.varying(axes, BroadcastLayout.split(axes, out.shape().rank()));
        Map.Entry<String, String> source = ElementwiseSource.generate(body, varying, node.describe(), context.species());
        if (source == null) return null;
        return new ElementwiseStep(node, slots.of(outer), fixed.toArray(Tensor[]::new), slots.of(node.output(0)), varying, source);
    }

    /**
     * {@code body} with its non-scalar float32 constants (a normalization's per-feature mean, say) turned into extra
     * inputs after the outer ones, their tensors appended to {@code fixed}: they then broadcast like any input.
     */
    private static Graph withTensorConstantsAsInputs(Graph body, List<Tensor> fixed) {
        List<Value> inputs = new ArrayList<>(body.inputs());
        Map<String, Tensor> scalars = new LinkedHashMap<>();
        body.constants().forEach((name, t) -> {
            if (t.dtype() == DType.F32 && t.size() != 1) {
                inputs.add(new Value(name, t.type()));
                fixed.add(t);
            } else {
                scalars.put(name, t);
            }
        });
        return fixed.isEmpty() ? body : new Graph(body.name(), inputs, body.outputs(), body.nodes(), scalars, body.opsets());
    }

    /** The body to generate: a fused group's graph, or a lone op wrapped as a one-node body over its non-constant inputs. */
    private static Graph body(Node node) {
        if (node.domain().equals("kiln") && node.op().equals("FusedElementwise")) {
            Attribute body = node.attributes().get("body");
            return body == null || body.kind() != Attribute.Kind.GRAPH ? null : body.asGraph();
        }
        if (!node.domain().isEmpty() || node.inputs().isEmpty()) return null;
        if (node.inputs().stream().map(Value::name).distinct().count() != node.inputs().size()) return null; // Mul(x, x)
        if (ElementwiseOps.of(node, Map.of()) == null || LEFT_TO_OTHERS.contains(node.op())) return null;
        return new Graph(node.name() + ".body", node.inputs(), node.outputs(), List.of(node), Map.of(), Map.of("", 1));
    }
}
