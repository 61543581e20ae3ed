package dev.kiln.backend.opencl.fpga;

import dev.kiln.backend.opencl.plan.Specializer;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimates a typed graph (static shapes, after the passes) built as an {@link FpgaDesign} on an {@link FpgaPart}:
 * resources from the architecture, cycles from the loop nests and the external-memory traffic, power from the
 * per-resource figures. Every figure is an estimate; docs/opencl-backend.md says what the model covers.
 */
public final class FpgaEstimator {
    private FpgaEstimator() {}

    /** The estimate of {@code typed} as {@code design} on {@code part}. */
    public static FpgaEstimate estimate(Graph typed, FpgaPart part, FpgaDesign design) {
        List<LoopNest> nests = nests(typed);
        return design.architecture() == FpgaDesign.Architecture.DEDICATED
                ? DedicatedModel.estimate(nests, part, design)
                : SharedEngineModel.estimate(nests, part, design);
    }

    /**
     * {@code graph} with every shape fixed for estimating: the declared input shapes, symbolic dims taken as 1 (a
     * batch of one), as the backend renders kernels before the first run. Fails with a one-line message when an
     * input is not float32 or a shape stays symbolic.
     */
    public static Graph typedForEstimate(Graph graph) {
        Map<String, Tensor> inputs = Specializer.placeholders(graph);
        if (inputs == null) {
            throw new IllegalArgumentException("graph '" + graph.name() + "': the FPGA estimate needs float32 inputs of known rank");
        }
        return Specializer.bind(graph, inputs);
    }

    /**
     * The loop nests of the nodes that build hardware, in graph order. A node whose inputs are all constant (a
     * {@code ConstantOfShape} filling weights, say) is folded before the hardware runs: its outputs count as weights.
     */
    static List<LoopNest> nests(Graph typed) {
        Set<String> constant = new HashSet<>(typed.constants().keySet());
        List<LoopNest> nests = new ArrayList<>();
        for (Node node : typed.nodes()) {
            if (node.inputs().stream().allMatch(v -> v.isAbsent() || constant.contains(v.name()))) {
                node.outputs().forEach(v -> constant.add(v.name()));
                continue;
            }
            LoopNest nest = LoopNests.of(node, constant);
            if (nest != null) nests.add(nest);
        }
        if (nests.isEmpty()) throw new IllegalArgumentException("graph '" + typed.name() + "' has no layer to build on an FPGA");
        return nests;
    }
}
