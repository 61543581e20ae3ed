package dev.kiln.bench;

import dev.kiln.bench.profile.NodeProfile;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.memory.MemoryPlan;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Kiln prepared as a user would run it: the model loaded and optimized by {@code prepare}, compiled for the
 * configured device with the arena that plan-memory sized, one session reused for every inference. The timed call
 * writes into output tensors made once per feed ({@link Session#run(Map, Map)}), as a latency-minded caller would,
 * so the harness sees what a warm inference allocates by itself.
 */
public final class KilnRunner implements InferenceRunner {
    private final CompiledModel compiled;
    private final Session session;
    private final List<Map<String, Tensor>> feeds;
    private final Map<String, Tensor>[] outputs;
    private final double compileMillis;

    @SuppressWarnings("unchecked")
    public KilnRunner(Supplier<Model> prepare, CompileOptions options, List<Map<String, Tensor>> feeds) {
        long start = System.nanoTime();
        Model model = prepare.get();
        compiled = model.compile(options.withArenaBytes(MemoryPlan.read(model.graph()).arenaBytes()));
        session = compiled.newSession();
        compileMillis = (System.nanoTime() - start) / 1e6;
        this.feeds = feeds;
        this.outputs = new Map[feeds.size()];
    }

    public CompiledModel compiled() { return compiled; }

    @Override
    public String runtime() { return "kiln"; }

    @Override
    public double compileMillis() { return compileMillis; }

    @Override
    public void infer(int feed) {
        Map<String, Tensor> into = outputs[feed];
        if (into == null) {
            // The first run of a feed learns the output shapes; later runs write into the same tensors.
            outputs[feed] = new LinkedHashMap<>();
            session.run(feeds.get(feed)).forEach((name, t) -> outputs[feed].put(name, Tensor.zeros(t.dtype(), t.shape())));
            return;
        }
        session.run(feeds.get(feed), into);
    }

    /** Times every node over {@code iterations} inferences of this (warm) session, outside the benchmark's timing. */
    public NodeProfile profile(int iterations) {
        for (int f = 0; f < feeds.size(); f++) if (outputs[f] == null) infer(f);
        return NodeProfile.measure(compiled, session, feeds, List.of(outputs), iterations);
    }

    @Override
    public Map<String, Tensor> outputs(int feed) { return session.run(feeds.get(feed)); }

    @Override
    public void close() { session.close(); }
}
