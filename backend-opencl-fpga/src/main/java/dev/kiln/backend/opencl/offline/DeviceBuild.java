package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import org.jocl.cl_program;

import java.util.Locale;
import java.util.Map;

/**
 * The OpenCL device of this machine as a build target: the kernels are built now and the device's binary of them
 * ({@code CL_PROGRAM_BINARIES}) is written as {@code kiln.<device>.bin}, which {@code kiln run --binary} loads back —
 * the same path an {@code .aocx} or {@code .xclbin} takes, testable without an FPGA.
 */
public record DeviceBuild(ClContext context) implements BuildTarget {
    @Override
    public String id() { return "opencl:" + context.device().name(); }

    /** {@code kiln.<device>.bin}, the device's name in lower-case letters, digits and dashes. */
    public String binaryName() {
        String slug = context.device().name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return "kiln." + (slug.isEmpty() ? "device" : slug) + ".bin";
    }

    @Override
    public Map<String, byte[]> files(ProgramPlan plan) {
        cl_program program = context.build(plan.source(), "the kernels of graph '" + plan.graph().name() + "'", plan.buildOptions());
        try {
            return Map.of(binaryName(), context.binary(program));
        } finally {
            ClContext.release(program);
        }
    }
}
