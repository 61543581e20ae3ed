package dev.kiln.cli;

import dev.kiln.cli.conformance.ConformanceRunner;
import dev.kiln.cli.conformance.ConformanceTest;
import dev.kiln.cli.conformance.OutputComparison;
import dev.kiln.cli.conformance.ResultsJson;
import dev.kiln.cli.conformance.Summary;
import dev.kiln.cli.conformance.TestDiscovery;
import dev.kiln.cli.conformance.TestExecutor;
import dev.kiln.cli.conformance.TestResult;
import dev.kiln.cli.conformance.TimeLimit;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code kiln conformance}: runs ONNX backend-test folders and prints one line per test and a summary. Failing
 * tests are results, not errors: the exit code is 0 unless the runner itself fails or the pass rate is below
 * {@code --min-pass-rate}.
 */
@Command(name = "conformance", description = "Run ONNX backend conformance tests (folders with model.onnx and test_data_set_*, or light_*.onnx).")
final class ConformanceCommand extends CommandBase implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "A test folder, or a folder of test folders.")
    List<Path> dirs;

    @Option(names = {"-d", "--device"}, paramLabel = "NAME",
            description = "The device to test; default: the fastest available device that runs each model.")
    String device;

    @Option(names = "-O", paramLabel = "LEVEL", defaultValue = "2",
            description = "Optimization level 0-3 the models are compiled at, with the verifier after every pass (default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = {"-f", "--filter"}, paramLabel = "REGEX", description = "Run only tests whose name contains a match.")
    String filter;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "60",
            description = "Time limit per test (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write per-test results as JSON (for 'kiln support-matrix').")
    Path json;

    @Option(names = "--min-pass-rate", paramLabel = "PERCENT",
            description = "Exit 1 when passed / (passed + failed + skipped) is below PERCENT.")
    Double minPassRate;

    @Override
    public Integer call() {
        for (Path dir : dirs) requireDirectory(dir, "test folder");
        Pattern pattern = compileFilter();
        if (!(timeoutSeconds > 0)) throw usage("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        if (minPassRate != null && (minPassRate < 0 || minPassRate > 100)) throw usage("--min-pass-rate must be 0 to 100");
        knownDevice(device);
        if (device != null && Backends.byName(device).devices().stream().noneMatch(d -> d.available())) {
            throw new KilnException("device '" + device + "' is not available on this machine (see 'kiln devices')");
        }

        List<ConformanceTest> tests = TestDiscovery.discover(dirs, name -> pattern == null || pattern.matcher(name).find());
        if (tests.isEmpty()) err().println("kiln conformance: no tests found" + (filter == null ? "" : " matching '" + filter + "'"));
        PrintWriter out = out();
        TimeLimit limit = new TimeLimit(Duration.ofMillis(Math.round(timeoutSeconds * 1000)), GRACE);
        TestExecutor executor = new TestExecutor(device, optLevel(), OutputComparison.ONNX_DEFAULT);
        List<TestResult> results = new ConformanceRunner(executor::execute, limit).run(tests, r -> {
            out.println(r.line());
            out.flush();
        });
        Summary summary = Summary.of(results);
        out.println(summary.line());
        out.flush();
        if (json != null) ResultsJson.write(json, results, device, Kiln.VERSION);
        if (minPassRate != null && summary.passRate() < minPassRate) {
            err().println(String.format(Locale.ROOT, "kiln conformance: pass rate %.2f%% is below the required %s%%",
                    summary.passRate(), ValueFormat.number(minPassRate, true)));
            return ErrorHandlers.RUNTIME_ERROR;
        }
        return 0;
    }

    private Pattern compileFilter() {
        if (filter == null) return null;
        try {
            return Pattern.compile(filter);
        } catch (PatternSyntaxException e) {
            throw usage("--filter is not a valid regular expression: " + e.getDescription());
        }
    }

    private dev.kiln.passes.OptLevel optLevel() {
        try {
            return dev.kiln.passes.OptLevel.parse(level);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
