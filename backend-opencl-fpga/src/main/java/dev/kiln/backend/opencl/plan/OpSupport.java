package dev.kiln.backend.opencl.plan;

import dev.kiln.backend.opencl.render.ElementwiseRenderer;
import dev.kiln.backend.opencl.render.Renderers;
import dev.kiln.backend.opencl.render.ScalarMath;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import java.util.Set;

/**
 * What the OpenCL backend claims: exactly the nodes its renderers draw. Data tensors must be float32 with a
 * known rank, except the 8-bit and int32 operands of quantized ops and the int8/uint8 tensors that pooling, views
 * and data movement pass along ({@link QuantSupport}); the integer operands that only shape a kernel (Reshape's shape, Pad's pads, axes) must be graph
 * constants or graph inputs, because kernels bake them in when a session binds its inputs. ONNX Runtime's quantized
 * contrib ops are claimed when their Q/DQ expansion is ({@link ContribQuantExpansion}).
 */
public final class OpSupport {
    private static final Set<String> PAD_MODES = Set.of("constant", "reflect", "edge", "wrap");

    private OpSupport() {}

    /** Null when the backend runs {@code node}; otherwise why not. */
    public static String problem(Node node, Graph graph) {
        if (ContribQuantExpansion.expands(node)) return ContribQuantExpansion.problem(node, graph);
        String op = node.op();
        boolean known = node.domain().isEmpty()
                ? Renderers.KERNELS.contains(op) || Renderers.VIEWS.contains(op) || ScalarMath.handles(op)
                : node.domain().equals("kiln") && Renderers.KILN_KERNELS.contains(op);
        if (!known) return "no OpenCL kernel for " + node.qualifiedOp();
        for (int i = 0; i < node.inputs().size(); i++) {
            Value v = node.input(i);
            if (v.isAbsent()) continue;
            String p = shapingOperand(node, i) ? operandProblem(v, graph) : dataProblem(v, "input " + i, QuantSupport.inputTypes(node, i));
            if (p != null) return p;
        }
        for (int i = 0; i < node.outputs().size(); i++) {
            Value v = node.output(i);
            if (v.isAbsent()) continue;
            if (i >= QuantSupport.outputsComputed(node)) return "only the first output is computed, output " + i + " is used";
            String p = dataProblem(v, "output", QuantSupport.outputTypes(node, i));
            if (p != null) return p;
        }
        return opProblem(node);
    }

    /** Inputs that hold sizes, pads or axes rather than data. */
    private static boolean shapingOperand(Node node, int i) {
        return switch (node.op()) {
            case "Reshape", "Squeeze", "Unsqueeze" -> i == 1;
            case "Pad" -> i == 1 || i == 3;
            default -> false;
        };
    }

    private static String dataProblem(Value v, String role, Set<DType> types) {
        if (!(v.type() instanceof TensorType t)) return role + " is " + v.type() + ", not a tensor";
        if (!types.contains(t.dtype())) {
            String allowed = types.equals(Set.of(DType.F32)) ? "float32" : String.join("/", types.stream().map(DType::shortName).sorted().toList());
            return role + " is " + t.dtype().shortName() + ", only " + allowed + " runs";
        }
        if (!t.shape().hasRank()) return role + " has unknown rank";
        return null;
    }

    private static String operandProblem(Value v, Graph graph) {
        boolean fixed = graph.constants().containsKey(v.name()) || graph.inputs().stream().anyMatch(in -> in.name().equals(v.name()));
        return fixed ? null : "operand " + v.name() + " is computed in the graph; kernels need it constant";
    }

    private static String opProblem(Node node) {
        return switch (node.op()) {
            case "BatchNormalization" -> node.attribute("training_mode") != null && node.attribute("training_mode").asInt() != 0
                    ? "training mode is not supported" : null;
            case "Pad" -> {
                String mode = node.attribute("mode") == null ? "constant" : node.attribute("mode").asString();
                yield PAD_MODES.contains(mode) ? null : "unknown pad mode " + mode;
            }
            case "Conv", "MaxPool", "AveragePool" -> node.input(0).tensorType().shape().rank() < 3
                    ? "needs at least one spatial dim" : null;
            case "FusedElementwise" -> ElementwiseRenderer.bodyProblem(node.attribute("body").asGraph());
            default -> QuantSupport.problem(node);
        };
    }
}
