package dev.kiln.backend.opencl.plan;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a graph to the inputs of one run: data inputs (float32, and the int8/uint8 tensors of quantized graphs) fix
 * their shapes, the other inputs (shapes, pads, axes) become constants, and type inference then gives every value a static shape — which is what lets each kernel be
 * rendered with its loop bounds written in, as an FPGA compiler needs them.
 */
public final class Specializer {
    private Specializer() {}

    /**
     * {@code original} typed for {@code inputs}, its quantized contrib ops expanded into the ops the kernels render
     * ({@link ContribQuantExpansion}); fails naming the node whose output size is still not fixed.
     */
    public static Graph bind(Graph original, Map<String, ? extends RuntimeValue> inputs) {
        Graph graph = ContribQuantExpansion.expand(original);
        List<Value> dataInputs = new ArrayList<>();
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.constants());
        for (Value declared : graph.inputs()) {
            if (!(inputs.get(declared.name()) instanceof Tensor t)) {
                throw new KilnException("input '" + declared.name() + "' must be a tensor for device 'opencl'");
            }
            if (isData(t.dtype())) dataInputs.add(new Value(declared.name(), t.type()));
            else constants.put(declared.name(), t);
        }
        List<Node> nodes = FusedBodyShapes.bind(graph.nodes(), FusedBodyShapes.symbols(graph, inputs));
        Graph bound = new Graph(graph.name(), dataInputs, graph.outputs(), nodes, constants, graph.opsets());
        Graph typed;
        try {
            Map<String, ValueType> bodyInputs = bodyInputTypes(bound);
            typed = GraphTyping.type(bound, bodyInputs::get);
        } catch (InferenceException e) {
            throw new KilnException("device 'opencl': " + e.getMessage());
        }
        for (Node node : typed.nodes()) {
            for (Value v : node.outputs()) {
                if (!v.isAbsent() && !(v.type() instanceof TensorType t && t.shape().isStatic())) {
                    throw new KilnException(node.describe() + ": output " + v.name() + " has no static shape (" + v.type()
                            + ") for these inputs; OpenCL kernels need fixed sizes");
                }
            }
        }
        return typed;
    }

    /**
     * The declared types of the inputs of nested graphs (the bodies of fused elementwise nodes): inference does not
     * derive them, and the rendered body needs only their element types, which do not depend on the run.
     */
    private static Map<String, ValueType> bodyInputTypes(Graph graph) {
        Map<String, ValueType> types = new HashMap<>();
        for (Node node : graph.nodes()) {
            for (Attribute a : node.attributes().values()) {
                if (a.kind() != Attribute.Kind.GRAPH) continue;
                for (Value v : a.asGraph().inputs()) types.put(v.name(), v.type());
            }
        }
        return types;
    }

    /**
     * Inputs standing in for the real ones at compile time, so the kernels can be rendered and built before the
     * first run: declared shapes with symbolic and unknown dims taken as 1. Null when an input is not data (see
     * {@link #isData}) — its values shape the kernels, and only a run supplies them.
     */
    public static Map<String, Tensor> placeholders(Graph graph) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Value v : graph.inputs()) {
            if (!(v.type() instanceof TensorType t) || !isData(t.dtype()) || !t.shape().hasRank()) return null;
            Shape shape = t.shape();
            long[] dims = new long[shape.rank()];
            for (int i = 0; i < dims.length; i++) {
                Dim d = shape.dim(i);
                dims[i] = d.isStatic() ? d.size() : 1;
            }
            inputs.put(v.name(), Tensor.zeros(t.dtype(), dims));
        }
        return inputs;
    }

    /**
     * Whether inputs of {@code dtype} are data, bound per run into buffers; inputs of other types (int64 shapes, pads,
     * axes) are baked into the kernels as constants.
     */
    public static boolean isData(DType dtype) {
        return dtype == DType.F32 || dtype == DType.I8 || dtype == DType.U8;
    }

    /** What a specialization depends on: every data input's shape and every other input's value. */
    public static String key(Graph graph, Map<String, ? extends RuntimeValue> inputs) {
        StringBuilder key = new StringBuilder();
        for (Value v : graph.inputs()) {
            if (!(inputs.get(v.name()) instanceof Tensor t)) return null;
            key.append(v.name()).append(Shape.format(t.shape()));
            if (!isData(t.dtype())) key.append('=').append(t.dtype()).append(t.data() == null ? "" : java.util.HexFormat.of()
                    .formatHex(bytes(t)));
            key.append(';');
        }
        return key.toString();
    }

    private static byte[] bytes(Tensor t) {
        var data = t.data();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }
}
