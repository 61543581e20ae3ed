package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.fpga.FpgaPart;
import dev.kiln.backend.opencl.plan.ProgramPlan;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An FPGA part as a build target: the emit dir gets the vendor's {@code build.sh} ({@code aoc} for Intel,
 * {@code v++} for AMD), which builds the bitstream container {@code kiln.aocx} or {@code kiln.xclbin} beside the
 * manifest, where {@code kiln run --binary} finds it.
 */
public record FpgaBuild(FpgaPart part) implements BuildTarget {
    public static final String SCRIPT = "build.sh";

    @Override
    public String id() { return "fpga:" + part.id(); }

    @Override
    public Map<String, byte[]> files(ProgramPlan plan) {
        String script = switch (part.vendor()) {
            case INTEL -> VendorScripts.intel(id(), part.name(), part.board());
            case AMD -> VendorScripts.amd(id(), part.name(), part.board(), plan.launches().stream().map(ProgramPlan.Launch::kernel).toList());
        };
        return Map.of(SCRIPT, script.getBytes(StandardCharsets.UTF_8));
    }
}
