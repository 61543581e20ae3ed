package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.plan.ProgramPlan;

import java.util.Map;

/**
 * What an emit dir is built for, and so what it gets besides the kernels, manifest and weights: the vendor's
 * build script for an FPGA part (the bitstream takes hours and is built offline), or the binary of the OpenCL
 * device present here, built now.
 */
public interface BuildTarget {
    /** The manifest's {@code target}: {@code fpga:<part>} or {@code opencl:<device>}. */
    String id();

    /** This target's files by name, for {@code plan} (whose source the emit dir holds as {@link PlanManifest#SOURCE_FILE}). */
    Map<String, byte[]> files(ProgramPlan plan);
}
