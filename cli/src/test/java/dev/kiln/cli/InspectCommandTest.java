package dev.kiln.cli;

import dev.kiln.cli.json.Json;
import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.Kiln;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsIrTextThatParsesBackToTheModel() throws IOException {
        Path model = OnnxModels.oneNode(dir.resolve("relu.onnx"), "Relu");
        Cli r = Cli.run("inspect", model.toString());
        assertEquals(0, r.code(), r.toString());
        Graph parsed = IrParser.parse(r.out());
        assertEquals(Kiln.load(model).graph(), parsed);
    }

    @Test
    void printsJson() throws IOException {
        Path model = OnnxModels.oneNode(dir.resolve("relu.onnx"), "Relu");
        Cli r = Cli.run("inspect", model.toString(), "--format", "json");
        assertEquals(0, r.code(), r.toString());
        Map<?, ?> json = assertInstanceOf(Map.class, Json.parse(r.out()));
        List<?> nodes = assertInstanceOf(List.class, json.get("nodes"));
        assertEquals(1, nodes.size(), r.out());
        assertTrue(r.out().contains("\"Relu\""), r.out());
    }

    @Test
    void printsGraphviz() throws IOException {
        Path model = OnnxModels.oneNode(dir.resolve("relu.onnx"), "Relu");
        Cli r = Cli.run("inspect", model.toString(), "-f", "dot");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("digraph \"relu\" {"), r.out());
        assertTrue(r.out().contains("Relu"), r.out());
    }

    @Test
    void anUnknownFormatIsAUsageError() throws IOException {
        Path model = OnnxModels.oneNode(dir.resolve("relu.onnx"), "Relu");
        Cli r = Cli.run("inspect", model.toString(), "--format", "yaml");
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("expected one of [text, json, dot]"), r.err());
    }
}
