package dev.kiln.passes.memory;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.ConstantResolver;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.passes.BackendTestData;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.PassRegistry;
import dev.kiln.runtime.Kiln;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The memory plan of every real model in {@code models/} and the ONNX light models is sound (no two buffers live
 * at once overlap, checked independently of the planner) and survives IR text. Prints each model's arena beside
 * the naive total.
 */
class PlanMemoryModelsTest {
    private static final Path LIGHT = BackendTestData.light();

    static List<Path> realModels() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("..", "models"))) {
            s.filter(p -> p.getFileName().toString().equals("model.onnx")).sorted().forEach(files::add);
        }
        if (Files.isDirectory(LIGHT)) {
            try (Stream<Path> s = Files.list(LIGHT)) {
                s.filter(p -> p.toString().endsWith(".onnx")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @TestFactory
    List<DynamicTest> everyRealModelHasASoundPlan() throws IOException {
        return realModels().stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> check(file))).toList();
    }

    private static void check(Path file) {
        Graph graph = Kiln.load(file).graph();
        Graph planned = planned(graph);
        MemoryPlan plan = MemoryPlan.read(planned);
        ArenaOverlapCheck.assertSound(planned, plan);
        Graph reparsed = IrParser.parse(IrPrinter.print(planned), ConstantResolver.of(planned));
        assertEquals(plan, MemoryPlan.read(reparsed), "plan after an IR text round trip");
        System.out.printf("%-60s arena %,14d  naive %,14d  %5.1f%%  (%d buffers)%n", file, plan.arenaBytes(),
                plan.naiveBytes(), 100 * plan.ratio(), plan.buffers().size());
    }

    static Graph planned(Graph graph) {
        PassManager manager = new PassManager(List.of(PassRegistry.byName("plan-memory")), PassOptions.verifying(),
                new PrintWriter(Writer.nullWriter()));
        return manager.run(graph, PassContext.defaults()).graph();
    }
}
