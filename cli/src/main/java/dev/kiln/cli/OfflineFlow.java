package dev.kiln.cli;

import dev.kiln.backend.opencl.OpenClBackend;
import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.cl.ClDevices;
import dev.kiln.backend.opencl.fpga.DesignSpaceExploration;
import dev.kiln.backend.opencl.fpga.EstimateReport;
import dev.kiln.backend.opencl.fpga.Exploration;
import dev.kiln.backend.opencl.fpga.FpgaDataType;
import dev.kiln.backend.opencl.fpga.FpgaEstimator;
import dev.kiln.backend.opencl.fpga.FpgaPart;
import dev.kiln.backend.opencl.fpga.FpgaParts;
import dev.kiln.backend.opencl.fpga.Objective;
import dev.kiln.backend.opencl.offline.DeviceBuild;
import dev.kiln.backend.opencl.offline.FpgaBuild;
import dev.kiln.backend.opencl.offline.FpgaEmitter;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.Graph;
import dev.kiln.runtime.KilnException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code kiln compile --target T --emit-dir DIR}: the driver through which the CLI reaches the OpenCL backend's
 * offline flow (the runtime never does). {@code T} is {@code fpga:<part>} (kernels, manifest, weights and the
 * vendor's build script) or {@code opencl} (the same with the binary of this machine's OpenCL device, built now).
 */
final class OfflineFlow {
    /** The ops whose multiply-adds are 8-bit on the device. */
    private static final Set<String> INTEGER_PRODUCTS = Set.of("QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger");

    private OfflineFlow() {}

    /**
     * Writes the emit dir for {@code optimized}; a target or objective Kiln does not know is a usage error raised
     * through {@code usage}. For an FPGA part the design-space exploration picks each layer's unroll factor for
     * {@code objective}, and its estimate report goes into the emit dir beside the kernels it describes.
     */
    static FpgaEmitter.Emitted emit(Graph optimized, String target, String objective, Path dir,
                                    Function<String, RuntimeException> usage, PrintWriter out) {
        if (target.equals("opencl")) {
            ClDevices found = ClDevices.get();
            if (found.devices().isEmpty()) throw new KilnException("--target opencl: no OpenCL device here: " + found.problem());
            try (ClContext context = new ClContext(found.devices().getFirst())) {
                DeviceBuild build = new DeviceBuild(context);
                out.println("target: " + build.id() + " (binary " + build.binaryName() + ")");
                return FpgaEmitter.emit(optimized, OpenClBackend.defaultsFor(context.device()), build, dir, Map.of());
            }
        }
        if (target.startsWith("fpga:")) {
            FpgaPart part;
            Objective goal;
            try {
                part = FpgaParts.byId(target.substring("fpga:".length()));
                goal = Objective.named(objective);
            } catch (IllegalArgumentException e) {
                throw usage.apply(e.getMessage());
            }
            out.println("target: fpga:" + part.id() + " (" + part.name() + " on " + part.board() + ", built with " + part.vendor().offlineCompiler() + ")");
            FpgaDataType lanes = lanes(optimized);
            Exploration exploration;
            try {
                exploration = DesignSpaceExploration.explore(FpgaEstimator.typedForEstimate(optimized), part, goal, lanes);
            } catch (IllegalArgumentException e) {
                throw new KilnException("graph '" + optimized.name() + "' on " + part.id() + ": " + e.getMessage());
            }
            out.println("design (" + lanes.name().toLowerCase(Locale.ROOT) + " lanes): " + exploration.decision());
            Map<String, String> reports = new java.util.LinkedHashMap<>(); // written and listed in this order (Map.of's order varies per run)
            reports.put("estimate.txt", EstimateReport.text(exploration.estimate()));
            reports.put("estimate.json", EstimateReport.json(exploration.estimate()));
            return FpgaEmitter.emit(optimized, renderOptions(part, exploration), new FpgaBuild(part), dir, reports);
        }
        throw usage.apply("unknown target '" + target + "' (known: opencl, " + String.join(", ",
                java.util.stream.StreamSupport.stream(FpgaParts.all().spliterator(), false).map(p -> "fpga:" + p.id()).toList()) + ")");
    }

    /**
     * int8 lanes when the graph's convolutions and products are integer (what {@code --quantize int8} lowers to and
     * the int8 kernels render as 8-bit multiplies), else fp32. A mixed graph's float layers (a DQ→Add→Q chain) are
     * then estimated at int8 too, which flatters them; they are elementwise, a small share of any design.
     */
    private static FpgaDataType lanes(Graph graph) {
        boolean integer = graph.nodes().stream().anyMatch(n -> n.domain().isEmpty() && INTEGER_PRODUCTS.contains(n.op()));
        return integer ? FpgaDataType.INT8 : FpgaDataType.FP32;
    }

    /**
     * The exploration's per-layer unroll factors and on-chip budget, streaming through channels on Intel parts (their
     * SDK's {@code cl_intel_channels}); AMD parts keep global buffers until the streams have Vitis's spelling
     * (program-scope pipes).
     */
    private static RenderOptions renderOptions(FpgaPart part, Exploration exploration) {
        return exploration.renderOptions()
                .withStreaming(part.vendor() == FpgaPart.Vendor.INTEL ? Streaming.CHANNELS : Streaming.GLOBAL);
    }
}
