package dev.kiln.cli;

import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.Pipelines;
import dev.kiln.passes.quant.QuantizationSettings;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.passes.memory.MemoryPlan;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Model;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optimization flags shared by the commands that compile a model: the level, the quantization flags and the
 * pass manager's debugging flags. The driver here is how the CLI reaches the passes; the runtime never does.
 */
final class OptimizationOptions {
    @Option(names = "-O", paramLabel = "LEVEL", description = "Optimization level 0-3 (-O0 import only, -O1 cleanup and folding, "
            + "-O2 plus fusion and memory planning, -O3 plus layout); default: -O2 (inspect: -O0).")
    String level;

    @Option(names = "--print-ir-after-all", description = "Print the IR after every pass.")
    boolean printAfterAll;

    @Option(names = "--print-ir-after", paramLabel = "PASS", description = "Print the IR after this pass (repeatable).")
    List<String> printAfter = new ArrayList<>();

    @Option(names = "--dump-dir", paramLabel = "DIR", description = "Write NNN_<pass>.ir after each pass (parses back with its constants/).")
    Path dumpDir;

    @Option(names = "--disable-pass", paramLabel = "PASS", description = "Skip this pass (repeatable).")
    List<String> disabled = new ArrayList<>();

    @Option(names = "--verify-each", description = "Run the IR verifier after every pass.")
    boolean verifyEach;

    @Option(names = "--pass-stats", description = "Print time and rewrites per pass.")
    boolean passStats;

    @Option(names = "--dump-kernels", paramLabel = "DIR", description = "Write the source of every kernel the backend generates to DIR.")
    Path dumpKernels;

    @Mixin
    QuantizationOptions quantization = new QuantizationOptions();

    @Option(names = "--explain", description = "Print, for every node, which rewrite touched it or why a pattern did not apply, "
            + "and which kernel the device runs it with.")
    boolean explain;

    /** The level asked for, or {@code fallback} when none was. */
    OptLevel level(OptLevel fallback) {
        if (level == null) return fallback;
        try {
            return OptLevel.parse(level);
        } catch (IllegalArgumentException e) {
            throw new KilnException(e.getMessage());
        }
    }

    /**
     * Runs the level's pipeline on {@code model}'s graph (a saved artifact is returned as it is). What the flags ask
     * to print goes to {@code out}, the command's stderr (as MLIR prints its dumps), so stdout stays the command's
     * own result.
     */
    Model optimize(Model model, OptLevel fallback, PrintWriter out) {
        if (model.artifact() != null) return model; // optimized and compiled when it was saved
        OptLevel chosen = level(fallback);
        PassOptions options = new PassOptions(printAfterAll, Set.copyOf(printAfter), dumpDir, Set.copyOf(disabled), verifyEach, passStats);
        QuantizationSettings quantize = quantization.settings(model.graph());
        PassContext ctx = new PassContext(chosen, Map.of(), TargetPreferences.reference(), quantize);
        PassManager manager;
        try {
            manager = new PassManager(Pipelines.passes(chosen, quantize == null ? null : quantize.mode()), options, out);
        } catch (IllegalArgumentException e) {
            throw new KilnException(e.getMessage());
        }
        Graph optimized;
        try {
            optimized = manager.run(model.graph(), ctx).graph();
        } catch (IllegalStateException e) {
            throw new KilnException(e.getMessage(), e);
        }
        if (explain) printExplanations(ctx, out);
        if (quantize != null) out.println(quantizationSummary(ctx));
        return Kiln.fromGraph(optimized, model.source());
    }

    /** {@code options} with the arena {@code plan-memory} planned for {@code model}'s graph (none planned: 0) and the kernel dump folder. */
    CompileOptions compileOptions(CompileOptions options, Model model) {
        return options.withArenaBytes(MemoryPlan.read(model.graph()).arenaBytes()).withDumpKernelsDir(dumpKernels);
    }

    /** {@code memory: arena 7225344 bytes for 183 intermediates (naive 150247328 bytes, 4.8%)}, or null without a plan. */
    static String memorySummary(Model model) {
        MemoryPlan plan = MemoryPlan.read(model.graph());
        if (plan.buffers().isEmpty()) return null;
        boolean symbolic = model.graph().inputs().stream().anyMatch(v -> v.type() instanceof TensorType t
                && t.shape().hasRank() && t.shape().dims().stream().anyMatch(d -> !d.isStatic()));
        return String.format("memory: arena %d bytes for %d intermediates (naive %d bytes, %.1f%%)%s",
                plan.arenaBytes(), plan.buffers().size(), plan.naiveBytes(), 100 * plan.ratio(),
                symbolic ? ", planned with symbolic dims = 1" : "");
    }

    /** {@code quantization: 5 nodes int8, 3 kept in float (--explain says why)}. */
    static String quantizationSummary(PassContext ctx) {
        long quantized = ctx.explanations().values().stream().filter(l -> l.stream().anyMatch(m -> m.contains(": quantized"))).count();
        long floating = ctx.explanations().values().stream().filter(l -> l.stream().anyMatch(m -> m.contains(": kept in float"))).count();
        return "quantization: " + quantized + " nodes quantized, " + floating + " kept in float (--explain says why)";
    }

    private static void printExplanations(PassContext ctx, PrintWriter out) {
        ctx.explanations().forEach((node, lines) -> {
            for (String line : lines) out.println("explain " + node + ": " + line);
        });
        out.flush();
    }
}
