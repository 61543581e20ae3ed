package dev.kiln.backend.cpu;

import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.Device;
import dev.kiln.runtime.spi.DeviceBuffers;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.NodeSupport;
import jdk.incubator.vector.FloatVector;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * The CPU backend: fast Vector API kernels for the ops that dominate inference, and the reference interpreter's
 * kernel for every other op, so a model never has to leave the device.
 */
public final class CpuBackend implements Backend {
    @Override
    public String name() { return "cpu"; }

    /** Above the reference backend (0): the automatic choice for a model both run. */
    @Override
    public int speedRank() { return 10; }

    @Override
    public List<Device> devices() {
        return List.of(Device.available("cpu", Runtime.getRuntime().availableProcessors() + " cores, "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors (Java Vector API)"));
    }

    @Override
    public NodeSupport supports(Node node, Graph graph) {
        String reason = RefKernels.unsupportedReason(node);
        return reason == null ? NodeSupport.YES : NodeSupport.no(reason);
    }

    /**
     * Compiles {@code graph} in a copy of the backend's classes of its own ({@link ModelClassLoader}), so that what
     * other models taught the JIT does not slow this one down or make it allocate.
     */
    @Override
    public Executable compile(Graph graph, CompileOptions options) {
        try {
            Class<?> executable = new ModelClassLoader(CpuBackend.class.getClassLoader()).loadClass("dev.kiln.backend.cpu.CpuExecutable");
            return (Executable) executable.getConstructor(Graph.class, CompileOptions.class).newInstance(graph, options);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the CPU backend cannot load its own classes: " + e, e);
        }
    }

    @Override
    public DeviceBuffers buffers() { return DeviceBuffers.host(); }
}
