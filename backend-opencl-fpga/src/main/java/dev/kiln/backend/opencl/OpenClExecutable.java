package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.offline.PrebuiltProgram;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.plan.Specializer;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.KernelChoice;
import org.jocl.cl_program;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A graph compiled for OpenCL. Kernels are rendered for the shapes of a run's inputs (at compile time already
 * for the declared shapes, with symbolic dims taken as 1, so build errors surface then); each distinct program is
 * built once and shared by every session. Programs are released when the executable is collected.
 */
final class OpenClExecutable implements Executable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Graph graph;
    private final ClContext context;
    private final RenderOptions options;
    private final Path dumpDir;
    private final PrebuiltProgram prebuilt;
    private final Map<String, ProgramPlan> plans = new ConcurrentHashMap<>();
    private final Map<String, cl_program> programs;
    private volatile List<KernelChoice> latest = List.of();

    /** Builds its programs from the rendered source, or, when {@code prebuilt} is not null, runs that binary instead. */
    OpenClExecutable(Graph graph, ClContext context, RenderOptions options, Path dumpDir, PrebuiltProgram prebuilt) {
        this.graph = graph;
        this.context = context;
        this.options = options;
        this.dumpDir = dumpDir;
        this.prebuilt = prebuilt;
        Map<String, cl_program> built = new ConcurrentHashMap<>();
        this.programs = built;
        CLEANER.register(this, () -> {
            built.values().forEach(ClContext::release);
            if (prebuilt != null) prebuilt.release();
        });
        Map<String, ? extends RuntimeValue> placeholders = Specializer.placeholders(graph);
        if (placeholders != null) program(planFor(placeholders));
    }

    /** The plan for inputs of these shapes (and these non-float values), rendered and built on first use. */
    ProgramPlan planFor(Map<String, ? extends RuntimeValue> inputs) {
        String key = Specializer.key(graph, inputs);
        ProgramPlan plan = key == null ? null : plans.get(key);
        if (plan == null) {
            plan = ProgramPlan.render(Specializer.bind(graph, inputs), options);
            plans.put(key, plan);
        }
        latest = plan.choices();
        return plan;
    }

    /**
     * The built program of {@code plan}, shared by all sessions (and by plans that render the same source); with a
     * prebuilt binary, that binary once its manifest is checked against the plan.
     */
    cl_program program(ProgramPlan plan) {
        if (prebuilt != null) return prebuilt.programFor(plan, context);
        return programs.computeIfAbsent(plan.source(), source -> {
            dump(source, plan);
            return context.build(source, "the kernels of graph '" + graph.name() + "'", plan.buildOptions());
        });
    }

    ClContext context() { return context; }

    @Override
    public Runner newRunner() { return new OpenClRunner(this); }

    /** Each node's kernel for the inputs of the latest run (before any run: for the declared shapes). */
    @Override
    public List<KernelChoice> kernels() { return latest; }

    /** Writes {@code DIR/<graph>_<input shapes>.cl}: one file per specialization, named by what it was built for. */
    private void dump(String source, ProgramPlan plan) {
        if (dumpDir == null) return;
        String base = graph.name().replaceAll("[^A-Za-z0-9_.-]", "_");
        StringBuilder shapes = new StringBuilder();
        for (var in : plan.graph().inputs()) {
            shapes.append('_').append(String.join("x", java.util.Arrays.stream(in.tensorType().shape().toArray())
                    .mapToObj(Long::toString).toList()));
        }
        Path file = dumpDir.resolve((base.isEmpty() ? "graph" : base) + shapes + ".cl");
        try {
            Files.createDirectories(dumpDir);
            Files.writeString(file, source);
        } catch (IOException e) {
            throw new KilnException("cannot write kernel source " + file + ": " + e.getMessage(), e);
        }
    }
}
