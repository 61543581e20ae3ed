package dev.kiln.cli;

import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.cl.ClDevices;
import dev.kiln.backend.opencl.offline.DeviceBuild;
import dev.kiln.backend.opencl.offline.FpgaEmitter;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.ir.Graph;
import dev.kiln.runtime.KilnException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code kiln compile --target T --emit-dir DIR}: the driver through which the CLI reaches the OpenCL backend's
 * offline flow (the runtime never does). {@code T} is {@code fpga:<part>} (kernels, manifest, weights and the
 * vendor's build script) or {@code opencl} (the same with the binary of this machine's OpenCL device, built now).
 */
final class OfflineFlow {
    private OfflineFlow() {}

    /** Writes the emit dir for {@code optimized}; a target Kiln does not know is a usage error raised through {@code usage}. */
    static FpgaEmitter.Emitted emit(Graph optimized, String target, Path dir, Function<String, RuntimeException> usage, PrintWriter out) {
        if (target.equals("opencl")) {
            ClDevices found = ClDevices.get();
            if (found.devices().isEmpty()) throw new KilnException("--target opencl: no OpenCL device here: " + found.problem());
            try (ClContext context = new ClContext(found.devices().getFirst())) {
                DeviceBuild build = new DeviceBuild(context);
                out.println("target: " + build.id() + " (binary " + build.binaryName() + ")");
                return FpgaEmitter.emit(optimized, RenderOptions.defaults(context.device().localMemBytes()), build, dir, Map.of());
            }
        }
        throw usage.apply("unknown target '" + target + "' (known: opencl)");
    }
}
