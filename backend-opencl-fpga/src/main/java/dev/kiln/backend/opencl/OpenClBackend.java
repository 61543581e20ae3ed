package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.cl.ClDeviceInfo;
import dev.kiln.backend.opencl.cl.ClDevices;
import dev.kiln.backend.opencl.offline.PrebuiltProgram;
import dev.kiln.backend.opencl.plan.OpSupport;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.Device;
import dev.kiln.runtime.spi.DeviceBuffers;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.NodeSupport;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenCL backend: FPGA-style single-work-item kernels rendered from the IR, built and launched through JOCL
 * on the first OpenCL device of this machine — an FPGA board, or, in CI, PoCL's CPU device standing in for the
 * FPGA vendors' emulators. It runs only what it has kernels for; a model with other ops is refused, not split.
 */
public final class OpenClBackend implements Backend {
    private ClContext context;

    @Override
    public String name() { return "opencl"; }

    /**
     * Below the CPU backend (10): on a CPU's OpenCL device these kernels, shaped for FPGA pipelines, are slower
     * than the CPU backend's, so the automatic choice never lands here; {@code --device opencl} asks for it.
     */
    @Override
    public int speedRank() { return 5; }

    @Override
    public List<Device> devices() {
        ClDevices found = ClDevices.get();
        if (found.devices().isEmpty()) return List.of(new Device("opencl", "OpenCL", false, found.problem()));
        List<Device> devices = new ArrayList<>();
        for (ClDeviceInfo info : found.devices()) {
            devices.add(devices.isEmpty() ? Device.available("opencl", info.describe())
                    : new Device("opencl", info.describe(), false, "the backend runs on the first OpenCL device"));
        }
        return devices;
    }

    @Override
    public NodeSupport supports(Node node, Graph graph) {
        String problem = OpSupport.problem(node, graph);
        return problem == null ? NodeSupport.YES : NodeSupport.no(problem);
    }

    /**
     * Kernels with the default choices for the device, streaming through channels or pipes where it has them; with
     * a prebuilt binary ({@link CompileOptions#deviceBinary()}), the choices its manifest records, so the plan is
     * the one the binary was built from.
     */
    @Override
    public Executable compile(Graph graph, CompileOptions options) {
        if (options.deviceBinary() != null) {
            PrebuiltProgram prebuilt = PrebuiltProgram.read(options.deviceBinary());
            return executable(graph, options, prebuilt.manifest().render(), prebuilt);
        }
        return compile(graph, options, defaultsFor(context().device()));
    }

    /**
     * Kernels rendered with {@code render}'s choices (unroll factors, on-chip share, streaming). Streaming through
     * pipes or channels needs a device that has them; {@link Streaming#PIPES_AS_FIFO} runs anywhere.
     */
    public Executable compile(Graph graph, CompileOptions options, RenderOptions render) {
        if (options.deviceBinary() != null) {
            throw new KilnException("a prebuilt binary (" + options.deviceBinary() + ") runs with the render options of its manifest, not others");
        }
        return executable(graph, options, render, null);
    }

    /** The default choices for {@code device}: its local memory, and streams through what it has (channels, pipes, else none). */
    public static RenderOptions defaultsFor(ClDeviceInfo device) {
        return RenderOptions.defaults(device.localMemBytes()).withStreaming(Streaming.forDevice(device.intelChannels(), device.pipes()));
    }

    private Executable executable(Graph graph, CompileOptions options, RenderOptions render, PrebuiltProgram prebuilt) {
        ClContext ctx = context();
        ClDeviceInfo device = ctx.device();
        if (render.streaming() == Streaming.PIPES && !device.pipes()
                || render.streaming() == Streaming.CHANNELS && !device.intelChannels()) {
            throw new KilnException("device 'opencl' (" + device.name() + ") has no " + (render.streaming() == Streaming.PIPES
                    ? "OpenCL 2.0 pipes" : "cl_intel_channels") + " to stream through; render for it offline instead");
        }
        return new OpenClExecutable(graph, ctx, render, options.dumpKernelsDir(), prebuilt);
    }

    /** A program built offline ({@code .aocx}, {@code .xclbin}, a device binary) runs with the manifest beside it. */
    @Override
    public boolean loadsDeviceBinaries() { return true; }

    /** Host tensors go to the device when a session runs; between backends they travel as host copies. */
    @Override
    public DeviceBuffers buffers() { return DeviceBuffers.host(); }

    /** One context on the first device, shared by every model this backend compiles. */
    private synchronized ClContext context() {
        if (context == null) {
            ClDevices found = ClDevices.get();
            if (found.devices().isEmpty()) throw new KilnException("device 'opencl' is not available: " + found.problem());
            context = new ClContext(found.devices().getFirst());
        }
        return context;
    }
}
