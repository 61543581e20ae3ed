package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.IrDiagnostic;
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.Node;
import dev.kiln.ir.text.IrPrinter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a list of passes over a graph with the debugging flags of {@link PassOptions}: prints or dumps the IR after
 * passes, skips disabled ones, verifies after each when asked (a pass that breaks the graph is named in the error),
 * and times each.
 */
public final class PassManager {
    /** One pass's run: wall time and rewrites counted. */
    public record PassRun(String pass, double millis, int rewrites) {}

    /** The optimized graph and what each pass did. */
    public record Result(Graph graph, List<PassRun> runs) {}

    private final List<Pass> passes;
    private final PassOptions options;
    private final PrintWriter out;

    public PassManager(List<Pass> passes, PassOptions options, PrintWriter out) {
        this.passes = List.copyOf(passes);
        this.options = options;
        this.out = out;
        for (String name : options.disabled()) PassRegistry.byName(name); // an unknown name is a usage error
        for (String name : options.printAfter()) PassRegistry.byName(name);
    }

    /** The standard pipeline of {@code ctx.level()}. */
    public static PassManager forLevel(OptLevel level, PassOptions options, PrintWriter out) {
        return new PassManager(Pipelines.passes(level), options, out);
    }

    public Result run(Graph input, PassContext ctx) {
        IrDump dump = options.dumpDir() == null ? null : new IrDump(options.dumpDir());
        if (dump != null) write(dump, 0, "input", input);
        Node gradient = gradientNode(input);
        if (gradient != null && !passes.isEmpty()) {
            ctx.explain("@" + input.name(), "no pass run: " + gradient.describe() + " differentiates this graph through the"
                    + " values it names, so the graph must stay as written");
            out.flush();
            return new Result(input, List.of());
        }
        Graph graph = input;
        List<PassRun> runs = new ArrayList<>();
        int index = 0;
        for (Pass pass : passes) {
            index++;
            if (options.disabled().contains(pass.name())) continue;
            ctx.enter(pass.name());
            long start = System.nanoTime();
            graph = pass.run(graph, ctx);
            double millis = (System.nanoTime() - start) / 1e6;
            runs.add(new PassRun(pass.name(), millis, ctx.rewrites(pass.name())));
            if (options.verifyEach()) verify(pass, graph);
            if (options.printAfterAll() || options.printAfter().contains(pass.name())) {
                out.println("// ----- IR after " + pass.name());
                out.print(IrPrinter.print(graph));
            }
            if (dump != null) write(dump, index, pass.name(), graph);
        }
        if (options.stats()) printStats(runs);
        out.flush();
        return new Result(graph, runs);
    }

    /**
     * A training Gradient node, if the graph has one. Gradient names the values it differentiates (xs, y) and takes
     * the derivative through the nodes between them, so any rewrite of those nodes (folding, fusing, merging) changes
     * what it computes or removes the ops it knows how to differentiate.
     */
    private static Node gradientNode(Graph graph) {
        for (Node n : graph.nodes()) {
            if (n.domain().equals("ai.onnx.preview.training") && n.op().equals("Gradient")) return n;
        }
        return null;
    }

    private static void verify(Pass pass, Graph graph) {
        List<IrDiagnostic> problems = IrVerifier.standard().verify(graph);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("pass " + pass.name() + " produced an invalid graph: " + problems.getFirst()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
    }

    private static void write(IrDump dump, int index, String name, Graph graph) {
        try {
            dump.write(index, name, graph);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write IR dump: " + e.getMessage(), e);
        }
    }

    private void printStats(List<PassRun> runs) {
        out.println("pass                              time (ms)  rewrites");
        double total = 0;
        for (PassRun r : runs) {
            out.printf("%-32s %10.2f %9d%n", r.pass(), r.millis(), r.rewrites());
            total += r.millis();
        }
        out.printf("%-32s %10.2f%n", "total", total);
    }
}
