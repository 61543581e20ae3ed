package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.Oracle;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.plan.Specializer;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;

/** A model with every kind of buffer: an input, weights, an intermediate, a view (Flatten) and an output. */
final class TinyCnn {
    static final String IR = "graph @tiny(%x: f32[batch,2,6,6]) -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
            + Oracle.constant("w", 4, 2, 3, 3) + Oracle.constant("b", 4) + Oracle.constant("g", 10, 144) + Oracle.constant("gb", 10)
            + "  %c: f32[*] = Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} name \"conv\"\n  %r: f32[*] = Relu(%c) name \"relu\"\n"
            + "  %f: f32[*] = Flatten(%r) name \"flatten\"\n  %y: f32[*] = Gemm(%f, %g, %gb) {transB = 1} name \"fc\"\n}\n";

    /** Global buffers between layers, as on a device without pipes or channels. */
    static final RenderOptions OPTIONS = RenderOptions.defaults(64 * 1024);

    private TinyCnn() {}

    /** The manifest of the plan for the declared shapes. */
    static HostManifest manifest(Graph graph, String target) { return PlanManifest.of(plan(graph), OPTIONS, target); }

    static Graph graph() { return IrParser.parse(IR); }

    /** The plan for the declared shapes (batch 1), rendered without a device. */
    static ProgramPlan plan(Graph graph) {
        return ProgramPlan.render(Specializer.bind(graph, Specializer.placeholders(graph)), OPTIONS);
    }
}
