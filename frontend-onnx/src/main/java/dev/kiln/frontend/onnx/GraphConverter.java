package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.AttributeProto;
import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.NodeProto;
import dev.kiln.frontend.onnx.proto.SparseTensorProto;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.frontend.onnx.proto.ValueInfoProto;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a GraphProto (and its subgraphs) to an IR graph whose node outputs are not yet typed: each carries its
 * declared type or {@link #UNTYPED}, and {@code GraphTyping} computes the real types afterwards. Initializers and
 * {@code Constant} nodes become graph constants; an initializer also listed as an input stays a constant only.
 * Subgraph inputs may be untyped (typing takes their types from the control-flow op).
 * Checks that the graph is in SSA form and topologically ordered.
 */
final class GraphConverter {
    /** Stands in for a type until inference runs; never left in an imported graph. */
    static final ValueType UNTYPED = new TensorType(DType.F32, Shape.UNKNOWN_RANK);

    private final ExternalData external;
    private final Map<String, Integer> opsets;
    private final DeclaredTypes declared;
    private final Set<String> nodeNames;

    GraphConverter(ExternalData external, Map<String, Integer> opsets, DeclaredTypes declared, GraphProto main) {
        this.external = external;
        this.opsets = opsets;
        this.declared = declared;
        this.nodeNames = new HashSet<>();
        collectNodeNames(main, 0);
    }

    Graph convertMain(GraphProto graph) { return convert(graph, new ValueScope(null), 0, "graph"); }

    private Graph convert(GraphProto g, ValueScope scope, int depth, String label) {
        if (depth > ImportLimits.MAX_SUBGRAPH_DEPTH) {
            throw new InvalidModelException(label + ": subgraphs nest deeper than " + ImportLimits.MAX_SUBGRAPH_DEPTH + " levels");
        }
        String graphLabel = label + " '" + g.getName() + "'";
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (TensorProto init : g.getInitializerList()) {
            String what = graphLabel + " initializer '" + init.getName() + "'";
            if (init.getName().isEmpty()) throw new InvalidModelException(graphLabel + ": an initializer has no name");
            scope.define(init.getName(), "an initializer");
            constants.put(init.getName(), TensorProtos.toTensor(init, external, what));
        }
        for (SparseTensorProto init : g.getSparseInitializerList()) {
            String name = init.getValues().getName();
            if (name.isEmpty()) throw new InvalidModelException(graphLabel + ": a sparse initializer has no name");
            scope.define(name, "a sparse initializer");
            constants.put(name, SparseTensors.toDense(init, external, graphLabel + " sparse initializer '" + name + "'"));
        }
        List<Value> inputs = new ArrayList<>();
        for (ValueInfoProto in : g.getInputList()) {
            if (constants.containsKey(in.getName())) continue;
            String what = graphLabel + " input '" + in.getName() + "'";
            if (in.getName().isEmpty()) throw new InvalidModelException(graphLabel + ": an input has no name");
            scope.define(in.getName(), "an input");
            if (depth > 0 && !OnnxTypes.isDeclared(in.getType())) {
                inputs.add(new Value(in.getName(), UNTYPED)); // typing takes it from the control-flow op
            } else {
                ValueType type = OnnxTypes.toValueType(in.getType(), what);
                declared.declare(in.getName(), type);
                inputs.add(new Value(in.getName(), type));
            }
        }
        for (ValueInfoProto info : g.getValueInfoList()) declare(info, graphLabel + " value_info '" + info.getName() + "'");
        for (ValueInfoProto out : g.getOutputList()) declare(out, graphLabel + " output '" + out.getName() + "'");

        List<Node> nodes = new ArrayList<>(g.getNodeCount());
        for (int index = 0; index < g.getNodeCount(); index++) {
            NodeProto proto = g.getNode(index);
            Node node = convertNode(proto, index, scope, depth, constants);
            if (node != null) nodes.add(node);
        }
        List<Value> outputs = new ArrayList<>();
        for (ValueInfoProto out : g.getOutputList()) {
            if (!scope.isVisible(out.getName())) {
                throw new InvalidModelException(graphLabel + " output '" + out.getName() + "' is not computed by the graph");
            }
            outputs.add(new Value(out.getName(), typeOrUntyped(out.getName())));
        }
        return new Graph(g.getName(), inputs, outputs, nodes, constants, opsets);
    }

    private void declare(ValueInfoProto info, String what) {
        if (info.hasType() && OnnxTypes.isDeclared(info.getType())) declared.declare(info.getName(), OnnxTypes.toValueType(info.getType(), what));
    }

    private ValueType typeOrUntyped(String name) {
        ValueType t = declared.get(name);
        return t == null ? UNTYPED : t;
    }

    /** The IR node, or null for a {@code Constant} node (whose value is added to {@code constants}). */
    private Node convertNode(NodeProto proto, int index, ValueScope scope, int depth, Map<String, Tensor> constants) {
        if (proto.getOpType().isEmpty()) throw new InvalidModelException("node #" + index + " '" + proto.getName() + "' has no op_type");
        String domain = proto.getDomain().equals("ai.onnx") ? "" : proto.getDomain();
        String name = proto.getName().isEmpty() ? generateName(proto.getOpType(), index) : proto.getName();
        String describe = "node '" + name + "' (" + (domain.isEmpty() ? "" : domain + ":") + proto.getOpType() + ")";
        if (ConstantNodes.isConstant(proto)) {
            Tensor value = ConstantNodes.value(proto, external, describe);
            scope.define(proto.getOutput(0), describe);
            constants.put(proto.getOutput(0), value);
            return null;
        }
        List<Value> inputs = new ArrayList<>(proto.getInputCount());
        for (String in : proto.getInputList()) {
            if (in.isEmpty()) {
                inputs.add(Value.ABSENT);
            } else if (!scope.isVisible(in)) {
                throw new InvalidModelException(describe + ": input '" + in
                        + "' is not defined before the node (the graph must be acyclic and topologically sorted)");
            } else {
                inputs.add(new Value(in, UNTYPED));
            }
        }
        AttributeConverter attributes = new AttributeConverter(external,
                (sub, what) -> convert(sub, new ValueScope(scope), depth + 1, what + " subgraph"));
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        for (AttributeProto a : proto.getAttributeList()) {
            if (attrs.put(a.getName(), attributes.convert(a, describe)) != null) {
                throw new InvalidModelException(describe + ": attribute '" + a.getName() + "' is given twice");
            }
        }
        List<Value> outputs = new ArrayList<>(proto.getOutputCount());
        for (String out : proto.getOutputList()) {
            if (out.isEmpty()) {
                outputs.add(Value.ABSENT);
            } else {
                scope.define(out, describe);
                outputs.add(new Value(out, typeOrUntyped(out)));
            }
        }
        return new Node(name, domain, proto.getOpType(), inputs, outputs, attrs);
    }

    private String generateName(String op, int index) {
        String base = op + "_" + index;
        String name = base;
        for (int k = 2; !nodeNames.add(name); k++) name = base + "_" + k;
        return name;
    }

    /** Every explicit node name of the model, so that generated names never repeat one. */
    private void collectNodeNames(GraphProto g, int depth) {
        if (depth > ImportLimits.MAX_SUBGRAPH_DEPTH) return; // convert() reports the nesting
        for (NodeProto n : g.getNodeList()) {
            if (!n.getName().isEmpty()) nodeNames.add(n.getName());
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collectNodeNames(a.getG(), depth + 1);
                for (GraphProto sub : a.getGraphsList()) collectNodeNames(sub, depth + 1);
            }
        }
    }
}
