package dev.kiln.cli;

import dev.kiln.backend.opencl.fpga.DesignSpaceExploration;
import dev.kiln.backend.opencl.fpga.EstimateReport;
import dev.kiln.backend.opencl.fpga.Exploration;
import dev.kiln.backend.opencl.fpga.FpgaDataType;
import dev.kiln.backend.opencl.fpga.FpgaEstimator;
import dev.kiln.backend.opencl.fpga.FpgaPart;
import dev.kiln.backend.opencl.fpga.FpgaParts;
import dev.kiln.backend.opencl.fpga.Objective;
import dev.kiln.ir.Graph;
import dev.kiln.passes.OptLevel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kiln estimate}: explores unroll factors for a model on an FPGA part and prints the estimate per layer and
 * in total (resources, cycles, latency, throughput, power, energy — all estimates), optionally as JSON too.
 */
@Command(name = "estimate", description = "Estimate a model on an FPGA part: design-space exploration, then resources, latency, throughput and power (all estimates).")
final class EstimateCommand extends CommandBase implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.onnx).")
    Path model;

    @Option(names = "--target", paramLabel = "fpga:PART", required = true, description = "The FPGA part, e.g. fpga:arria10-gx1150.")
    String target;

    @Option(names = "--objective", paramLabel = "throughput|latency", defaultValue = "throughput",
            description = "What the exploration optimizes (default: throughput).")
    String objective;

    @Option(names = "--dtype", paramLabel = "fp32|int8|int16", defaultValue = "fp32",
            description = "The arithmetic of the multiply-add lanes (default: fp32, what Kiln's kernels compute).")
    String dtype;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the estimate as JSON to FILE.")
    Path json;

    @Mixin
    OptimizationOptions optimization;

    @Override
    public Integer call() throws IOException {
        requireFile(model, "model");
        if (!target.startsWith("fpga:")) throw usage("target '" + target + "' is not an FPGA part (use fpga:PART)");
        FpgaPart part;
        Objective goal;
        FpgaDataType type;
        try {
            part = FpgaParts.byId(target.substring("fpga:".length()));
            goal = Objective.named(objective);
            type = FpgaDataType.named(dtype);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Model optimized = optimization.optimize(Kiln.load(model), OptLevel.O2, err());
        Exploration exploration;
        try {
            Graph typed = FpgaEstimator.typedForEstimate(optimized.graph());
            exploration = DesignSpaceExploration.explore(typed, part, goal, type);
        } catch (IllegalArgumentException e) {
            throw new KilnException("model " + model + ": " + e.getMessage());
        }
        out().println("design: " + exploration.decision());
        out().print(EstimateReport.text(exploration.estimate()));
        if (json != null) {
            Files.writeString(json, EstimateReport.json(exploration.estimate()));
            out().println("wrote " + json);
        }
        return 0;
    }
}
