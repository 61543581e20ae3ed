package dev.kiln.backend.cpu;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.spi.CompiledKernel;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.KernelChoice;
import jdk.incubator.vector.FloatVector;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * One model compiled for the CPU: its plan, and runners that each hold a frame (scratch, workers, arena views).
 * {@link CpuBackend} makes it inside the model's own copy of the backend's classes ({@link ModelClassLoader}), so
 * it is public and built by reflection.
 */
public final class CpuExecutable implements Executable {
    private final CpuPlan plan;

    public CpuExecutable(Graph graph, CompileOptions options) {
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        plan = new CpuPlan(graph, new CpuContext(threads, options.dumpKernelsDir(), FloatVector.SPECIES_PREFERRED, options.precompiledKernels()));
    }

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
}
