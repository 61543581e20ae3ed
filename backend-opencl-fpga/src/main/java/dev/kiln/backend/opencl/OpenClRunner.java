package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.cl.ClQueue;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.spi.Executable;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session on the device: its own queue, a buffer for every input, weight and intermediate value (allocated
 * and the weights uploaded once, again only when the inputs' shapes change), the kernels launched in graph
 * order, and the outputs read back. When the plan streams through pipes or channels, the kernels of a stage are
 * enqueued each on its own queue (a lane) so they run at once, and all of a stage's lanes finish before the next
 * stage starts; nothing is read back before every stage is enqueued and done.
 */
final class OpenClRunner implements Executable.Runner {
    private final OpenClExecutable executable;
    private final ClQueue queue;
    private ProgramPlan plan;
    private final Map<String, cl_mem> buffers = new HashMap<>();
    private final List<cl_kernel> kernels = new ArrayList<>();
    private final List<ClQueue> lanes = new ArrayList<>();

    OpenClRunner(OpenClExecutable executable) {
        this.executable = executable;
        this.queue = executable.context().newQueue();
    }

    @Override
    public Map<String, RuntimeValue> run(Map<String, RuntimeValue> inputs) {
        ProgramPlan wanted = executable.planFor(inputs);
        if (wanted != plan) prepare(wanted);
        Graph graph = plan.graph();
        for (Value in : graph.inputs()) queue.write(buffers.get(in.name()), ((Tensor) inputs.get(in.name())).data());
        if (plan.streaming().concurrent()) launchStages();
        else for (int i = 0; i < kernels.size(); i++) queue.launch(kernels.get(i), mems(i));
        Map<String, RuntimeValue> outputs = new LinkedHashMap<>();
        for (Value out : graph.outputs()) {
            Tensor constant = graph.constants().get(plan.bufferOf(out.name()));
            long[] shape = out.tensorType().shape().toArray();
            if (constant != null && constant.dtype() != DType.F32) {
                outputs.put(out.name(), constant.reshape(shape));
                continue;
            }
            long bytes = Tensor.checkedSize(shape) * (long) Float.BYTES;
            outputs.put(out.name(), Tensor.fromStorage(DType.F32, shape, queue.read(buffers.get(plan.bufferOf(out.name())), bytes)));
        }
        return outputs;
    }

    private cl_mem[] mems(int launch) {
        List<String> args = plan.launches().get(launch).args();
        cl_mem[] mems = new cl_mem[args.size()];
        for (int a = 0; a < mems.length; a++) mems[a] = buffers.get(plan.bufferOf(args.get(a)));
        return mems;
    }

    /** Each stage's launches on lanes of their own, then a wait for all of them, stage after stage. */
    private void launchStages() {
        Map<Integer, List<Integer>> stages = new java.util.TreeMap<>();
        for (int i = 0; i < kernels.size(); i++) stages.computeIfAbsent(plan.launches().get(i).stage(), s -> new ArrayList<>()).add(i);
        for (List<Integer> stage : stages.values()) {
            while (lanes.size() < stage.size()) lanes.add(executable.context().newQueue());
            for (int j = 0; j < stage.size(); j++) lanes.get(j).launch(kernels.get(stage.get(j)), mems(stage.get(j)));
            for (int j = 0; j < stage.size(); j++) lanes.get(j).finish();
        }
    }

    /** Allocates the plan's buffers, uploads its weights and creates its kernels, releasing the previous plan's. */
    private void prepare(ProgramPlan next) {
        release();
        plan = next;
        Graph graph = plan.graph();
        Map<String, Value> values = graph.valuesByName();
        var program = executable.program(plan);
        if (plan.streaming() == Streaming.PIPES) {
            // OpenCL does not promise that kernels on different queues run at the same time: a pipe that holds the
            // whole tensor lets a producer finish even if its consumer has not started, so no schedule deadlocks.
            for (ProgramPlan.Stream s : plan.streams()) {
                buffers.put(s.value(), queue.allocatePipe(Math.toIntExact(Math.max(s.depth(), s.elements()))));
            }
        }
        for (ProgramPlan.Launch launch : plan.launches()) {
            kernels.add(executable.context().kernel(program, launch.kernel()));
            for (String arg : launch.args()) allocate(plan.bufferOf(arg), values, graph);
        }
        for (Value in : graph.inputs()) allocate(in.name(), values, graph);
        for (Value out : graph.outputs()) {
            String root = plan.bufferOf(out.name());
            Tensor constant = graph.constants().get(root);
            if (constant == null || constant.dtype() == DType.F32) allocate(root, values, graph);
        }
    }

    private void allocate(String name, Map<String, Value> values, Graph graph) {
        if (buffers.containsKey(name)) return;
        Tensor constant = graph.constants().get(name);
        long elements = constant != null ? constant.size() : values.get(name).tensorType().shape().elementCount();
        cl_mem buffer = queue.allocate(elements * Float.BYTES);
        if (constant != null) queue.write(buffer, constant.data());
        buffers.put(name, buffer);
    }

    private void release() {
        kernels.forEach(ClContext::release);
        kernels.clear();
        queue.releaseBuffers();
        buffers.clear();
    }

    @Override
    public void close() {
        release();
        lanes.forEach(ClQueue::close);
        queue.close();
    }
}
