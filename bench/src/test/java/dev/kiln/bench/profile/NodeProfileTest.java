package dev.kiln.bench.profile;

import dev.kiln.bench.BenchInputs;
import dev.kiln.bench.KilnRunner;
import dev.kiln.bench.RepoFiles;
import dev.kiln.ir.Node;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Model;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-node profile of {@code kiln bench --profile} on the digits CNN: its structure, not its timings. */
class NodeProfileTest {
    @Test
    void everyNodeOfThePlanAppearsOnceWithItsKernelAndTheSharesSumToTheWhole() {
        Model imported = Kiln.load(RepoFiles.digitsModel());
        var feeds = BenchInputs.random(imported.graph(), 1, 42).feeds();
        try (KilnRunner runner = new KilnRunner(() -> optimized(imported), new CompileOptions("cpu", 1), feeds)) {
            runner.infer(0);
            NodeProfile profile = runner.profile(5);
            List<Node> nodes = runner.compiled().graph().nodes();
            assertEquals(nodes.size(), profile.rows().size());
            assertEquals(nodes.stream().map(Node::name).toList(), profile.rows().stream().map(NodeProfile.Row::node).toList());
            assertEquals(5, profile.iterations());
            for (NodeProfile.Row r : profile.rows()) {
                assertTrue(r.meanNanos() >= 0, r.node());
                assertFalse(r.kernel().isEmpty(), r.node() + " names no kernel");
            }
            double shares = profile.rows().stream().mapToDouble(r -> profile.share(r.meanNanos())).sum();
            assertEquals(1.0, shares, 1e-9);
            // The convolutions and the product count FLOPs (from the energy model's counts), so they have a rate.
            assertTrue(profile.rows().stream().filter(r -> r.op().contains("Conv") || r.op().contains("Gemm")).allMatch(r -> r.flops() > 0));
            List<NodeProfile.Row> sorted = profile.slowestFirst();
            for (int i = 1; i < sorted.size(); i++) assertTrue(sorted.get(i - 1).meanNanos() >= sorted.get(i).meanNanos());
            // Per-op totals cover every node once and add up to the same total.
            assertEquals(nodes.size(), profile.byOp().stream().mapToInt(NodeProfile.OpTotal::nodes).sum());
            assertEquals(profile.totalNanos(), profile.byOp().stream().mapToDouble(NodeProfile.OpTotal::meanNanos).sum(), 1e-6 * profile.totalNanos());
            Set<String> ops = profile.rows().stream().map(NodeProfile.Row::op).collect(Collectors.toSet());
            assertEquals(ops, profile.byOp().stream().map(NodeProfile.OpTotal::op).collect(Collectors.toSet()));

            String table = ProfileTable.render(profile);
            for (Node n : nodes) assertTrue(table.contains(n.name()), n.name() + " missing from the table");
            assertTrue(table.contains("per op type:"));
        }
    }

    @Test
    void aDeviceThatDoesNotTimeItsNodesSaysSo() {
        Model imported = Kiln.load(RepoFiles.digitsModel());
        var feeds = BenchInputs.random(imported.graph(), 1, 42).feeds();
        try (KilnRunner runner = new KilnRunner(() -> imported, new CompileOptions("ref", 1), feeds)) {
            KilnException e = assertThrows(KilnException.class, () -> runner.profile(1));
            assertTrue(e.getMessage().contains("--profile"), e.getMessage());
        }
    }

    private static Model optimized(Model model) {
        PassContext ctx = new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference());
        var graph = PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(new StringWriter())).run(model.graph(), ctx).graph();
        return Kiln.fromGraph(graph, model.source());
    }
}
