package dev.kiln.cli;

import dev.kiln.ir.Graph;
import dev.kiln.ir.dot.IrDot;
import dev.kiln.ir.json.IrJson;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.runtime.Kiln;
import dev.kiln.passes.OptLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kiln inspect}: prints a model's IR (as imported, or optimized with {@code -O1..-O3}) as text, JSON or Graphviz DOT. */
@Command(name = "inspect", description = "Print a model's IR as text, JSON or Graphviz DOT.")
final class InspectCommand extends CommandBase implements Callable<Integer> {
    enum Format { text, json, dot }

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.onnx).")
    Path model;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (IR text, which kiln can parse back), json or dot (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    OptimizationOptions optimization;

    @Override
    public Integer call() {
        requireFile(model, "model");
        Graph graph = optimization.optimize(Kiln.load(model), OptLevel.O0, err()).graph();
        String rendered = switch (format) {
            case text -> IrPrinter.print(graph);
            case json -> IrJson.toJson(graph);
            case dot -> IrDot.toDot(graph);
        };
        out().print(rendered.endsWith("\n") ? rendered : rendered + "\n");
        out().flush();
        return 0;
    }
}
