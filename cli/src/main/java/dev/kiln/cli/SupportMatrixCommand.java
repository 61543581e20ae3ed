package dev.kiln.cli;

import dev.kiln.cli.conformance.ResultsJson;
import dev.kiln.cli.conformance.TestResult;
import dev.kiln.cli.matrix.KernelCoverage;
import dev.kiln.cli.matrix.MatrixMarkdown;
import dev.kiln.cli.matrix.OnnxOperators;
import dev.kiln.cli.matrix.OpSupport;
import dev.kiln.cli.matrix.SupportMatrix;
import dev.kiln.cli.matrix.TestOpGrouping;
import dev.kiln.runtime.KilnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kiln support-matrix}: a Markdown table of every ONNX operator with Kiln's support and test results. */
@Command(name = "support-matrix", description = "Write the ONNX operator support matrix (Markdown) from conformance results.")
final class SupportMatrixCommand extends CommandBase implements Callable<Integer> {
    @Option(names = {"-r", "--results"}, arity = "1..*", required = true, paramLabel = "FILE.json",
            description = "Results written by 'kiln conformance --json'.")
    List<Path> results;

    @Option(names = "--kernels", paramLabel = "FILE.json",
            description = "Results of 'kiln conformance --device D --json' on a device that reports its kernels (cpu): "
                    + "adds a column saying which operators it runs with kernels of its own and which generically.")
    Path kernels;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the Markdown (default: stdout).")
    Path output;

    @Override
    public Integer call() {
        for (Path file : results) requireFile(file, "results file");
        List<TestResult> all = new ArrayList<>();
        for (Path file : results) all.addAll(ResultsJson.read(file));
        List<String> ops = OnnxOperators.all();
        SupportMatrix matrix = SupportMatrix.build(ops, OpSupport::missing, TestOpGrouping.standard(), all);
        KernelCoverage coverage = null;
        List<String> sources = new ArrayList<>(results.stream().map(p -> p.getFileName().toString()).toList());
        if (kernels != null) {
            requireFile(kernels, "kernels file");
            coverage = KernelCoverage.of(ResultsJson.device(kernels), ResultsJson.read(kernels));
            if (coverage.cellByOp().isEmpty()) throw new KilnException(kernels + ": records no kernels (run 'kiln conformance --device cpu --json')");
            sources.add(kernels.getFileName().toString());
        }
        String markdown = MatrixMarkdown.render(matrix, sources, coverage);
        if (output == null) {
            out().print(markdown);
            out().flush();
            return 0;
        }
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(output, markdown);
        } catch (IOException e) {
            throw new KilnException(output + ": cannot write: " + e.getMessage(), e);
        }
        err().println("wrote " + output + " (" + matrix.implementedCount() + " of " + ops.size() + " operators implemented)");
        return 0;
    }
}
