package dev.kiln.cli.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs conformance tests one after another, each on a worker thread under a time limit. A test that times out,
 * throws, or crashes the worker (OutOfMemoryError, StackOverflowError) is a FAIL with the reason; the run goes on.
 */
public final class ConformanceRunner {
    /** Runs one test to its verdict, reporting the model's ops as soon as they are known. */
    @FunctionalInterface
    public interface Execution {
        TestExecutor.Verdict execute(ConformanceTest test, Consumer<List<String>> opsUsed) throws Exception;
    }

    private final Execution execution;
    private final TimeLimit timeLimit;

    public ConformanceRunner(Execution execution, TimeLimit timeLimit) {
        this.execution = execution;
        this.timeLimit = timeLimit;
    }

    /** Runs every test, handing each result to {@code onResult} as it finishes; returns them all in order. */
    public List<TestResult> run(List<ConformanceTest> tests, Consumer<TestResult> onResult) {
        List<TestResult> results = new ArrayList<>(tests.size());
        for (ConformanceTest test : tests) {
            TestResult result = runOne(test);
            results.add(result);
            onResult.accept(result);
        }
        return results;
    }

    TestResult runOne(ConformanceTest test) {
        AtomicReference<List<String>> ops = new AtomicReference<>(List.of());
        long start = System.nanoTime();
        TestExecutor.Verdict verdict;
        try {
            verdict = switch (timeLimit.run("conformance " + test.name(), () -> execution.execute(test, ops::set))) {
                case TimeLimit.Outcome.Done<TestExecutor.Verdict> done -> done.value();
                case TimeLimit.Outcome.Crashed<TestExecutor.Verdict> crashed -> TestExecutor.Verdict.fail(describe(crashed.error()));
                case TimeLimit.Outcome.TimedOut<TestExecutor.Verdict> out -> TestExecutor.Verdict.fail("timed out after "
                        + seconds(out.limit()) + " s" + (out.stopped() ? "" : " (still running in the background)"));
            };
        } catch (Throwable t) { // the worker could not even be started (no memory or threads left)
            verdict = TestExecutor.Verdict.fail(describe(t));
        }
        double seconds = Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0;
        return new TestResult(test.name(), test.suite(), verdict.status(), reason(test, verdict.reason()), ops.get(), seconds,
                verdict.kernels());
    }

    /** One line, without the model's path that import errors start with: the test's name already says which. */
    private static String reason(ConformanceTest test, String reason) {
        if (reason == null) return null;
        String path = test.model().toString() + ": ";
        return oneLine(reason.startsWith(path) ? reason.substring(path.length()) : reason);
    }

    /** A crash as one line: Kiln's own errors by their message, anything else with its type first. */
    static String describe(Throwable t) {
        if (t instanceof dev.kiln.runtime.KilnException && t.getMessage() != null) return t.getMessage();
        String where = "";
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("dev.kiln.")) {
                where = " at " + e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName()
                        + ":" + e.getLineNumber();
                break;
            }
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + where;
    }

    /** 60, 0.5: whole seconds without a fraction. */
    static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static String oneLine(String s) {
        return s == null ? null : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
