package dev.kiln.cli;

import dev.kiln.passes.OptLevel;
import dev.kiln.passes.Pass;
import dev.kiln.passes.PassRegistry;
import dev.kiln.passes.Pipelines;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code kiln passes}: every registered pass with its summary, and the pipeline of each optimization level. */
@Command(name = "passes", description = "List the optimization passes and the pipeline of each level -O0..-O3.")
final class PassesCommand extends CommandBase implements Callable<Integer> {
    @Override
    public Integer call() {
        PrintWriter out = out();
        for (Pass pass : PassRegistry.all()) out.printf("%-34s %s%n", pass.name(), pass.summary());
        out.println();
        for (OptLevel level : OptLevel.values()) {
            out.println("-" + level + ": " + (level == OptLevel.O0 ? "(import only)" : String.join(", ", Pipelines.names(level))));
        }
        return 0;
    }
}
