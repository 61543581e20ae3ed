package dev.kiln.frontend.onnx;

import dev.kiln.ir.Graph;
import dev.kiln.ir.IrDiagnostic;
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.dot.IrDot;
import dev.kiln.ir.json.IrJson;
import dev.kiln.ir.text.ConstantResolver;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model of the ONNX backend test data that imports must verify clean, print and parse back to the same text,
 * and have JSON and DOT views: the IR tools held to real graphs, not only hand-built ones.
 */
class ConformanceModelsIrTest {
    @Test
    void everyImportedModelVerifiesAndRoundTripsThroughText() throws IOException {
        Path root = BackendTestData.root();
        List<Path> models;
        try (Stream<Path> files = Files.walk(root)) {
            models = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        int imported = 0;
        for (Path model : models) {
            Graph graph;
            try {
                graph = OnnxImporter.importFile(model);
            } catch (UnsupportedOpsException e) {
                continue; // ops the reference backend lacks: the conformance run reports these
            }
            imported++;
            List<IrDiagnostic> diagnostics = IrVerifier.standard().verify(graph);
            if (!diagnostics.isEmpty()) problems.add(root.relativize(model) + ": " + diagnostics.getFirst());
            String text = IrPrinter.print(graph);
            String again = IrPrinter.print(IrParser.parse(text, ConstantResolver.of(graph)));
            if (!text.equals(again)) problems.add(root.relativize(model) + ": text does not print back identically");
            if (!IrJson.toJson(graph).startsWith("{") || !IrDot.toDot(graph).startsWith("digraph")) {
                problems.add(root.relativize(model) + ": empty JSON or DOT view");
            }
        }
        assertTrue(imported > models.size() * 9 / 10, "only " + imported + " of " + models.size() + " models imported");
        assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + String.join("\n", problems.subList(0, Math.min(10, problems.size()))));
    }
}
