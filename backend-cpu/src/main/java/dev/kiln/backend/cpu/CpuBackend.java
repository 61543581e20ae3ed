package dev.kiln.backend.cpu;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.CompiledKernel;
import dev.kiln.runtime.spi.Device;
import dev.kiln.runtime.spi.DeviceBuffers;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.KernelChoice;
import dev.kiln.runtime.spi.NodeSupport;
import jdk.incubator.vector.FloatVector;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

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

    @Override
    public Executable compile(Graph graph, CompileOptions options) {
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        CpuPlan plan = new CpuPlan(graph, new CpuContext(threads, options.dumpKernelsDir(), FloatVector.SPECIES_PREFERRED,
                options.precompiledKernels()));
        return new Executable() {
            @Override
            public Runner newRunner() { return newRunner(null); }

            @Override
            public Runner newRunner(ByteBuffer arena) {
                return new Runner() {
                    private final Frame frame = plan.newFrame(arena);

                    @Override
                    public Map<String, RuntimeValue> run(Map<String, RuntimeValue> inputs) { return plan.run(frame, inputs); }

                    @Override
                    public void run(List<Value> inputNames, RuntimeValue[] inputs, List<Value> outputNames, RuntimeValue[] outputs) {
                        plan.run(frame, inputs, outputs);
                    }

                    @Override
                    public boolean runTimed(List<Value> inputNames, RuntimeValue[] inputs, List<Value> outputNames, RuntimeValue[] outputs,
                                            long[] nodeNanos) {
                        plan.run(frame, inputs, outputs, nodeNanos);
                        return true;
                    }

                    @Override
                    public void close() { frame.close(); }
                };
            }

            @Override
            public List<KernelChoice> kernels() { return plan.kernels(); }

            @Override
            public List<CompiledKernel> compiledKernels() { return plan.compiledKernels(); }
        };
    }

    @Override
    public DeviceBuffers buffers() { return DeviceBuffers.host(); }
}
