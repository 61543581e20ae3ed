package dev.kiln.bench.jmh;

import dev.kiln.ir.tensor.Tensor;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.Map;

/**
 * The backend side of a kernel benchmark: the device and thread count (JMH parameters; a later backend adds its
 * name with {@code -p device=ref,cpu}), the op compiled for them, and its inputs. Each benchmark's {@code Compiled}
 * state extends this and compiles its op in its {@code @Setup} from the benchmark's shape state.
 */
@State(Scope.Benchmark)
public abstract class CompiledOp {
    @Param({"ref"})
    public String device;
    @Param({"1"})
    public int threads;
    OneOpModel model;
    Map<String, Tensor> inputs;

    /** Compiles {@code irText} (see {@link OneOpModel#compile}) and keeps {@code inputs} for every call. */
    protected void compile(String benchmark, String irText, List<Tensor> constants, Map<String, Tensor> opInputs) {
        model = OneOpModel.compile(benchmark, irText, constants, device, threads);
        inputs = opInputs;
    }

    /** One call of the compiled op: every output by name. */
    public Map<String, Tensor> run() { return model.run(inputs); }

    @TearDown
    public void close() { model.close(); }
}
