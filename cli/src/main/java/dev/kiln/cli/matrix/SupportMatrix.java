package dev.kiln.cli.matrix;

import dev.kiln.cli.conformance.Summary;
import dev.kiln.cli.conformance.TestResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The data of the support matrix: for every ONNX operator, whether the reference backend implements it and how
 * the conformance tests named for it ended; plus totals per test folder and the tests named for no operator.
 */
public record SupportMatrix(List<Row> rows, Map<String, Summary> bySuite, Map<String, Integer> ungroupedBySuite) {
    /** One operator: {@code missing} null when implemented; {@code firstFailure} the first failing test with its reason. */
    public record Row(String op, String missing, int passed, int failed, int skipped, String firstFailure, String firstSkip) {}

    /**
     * Builds the matrix. {@code missing} says why an op is not implemented (null when it is); results naming the same
     * test twice (same folder and name) count once, the later one winning.
     */
    public static SupportMatrix build(List<String> ops, Function<String, String> missing, TestOpGrouping grouping,
                                      List<TestResult> results) {
        Map<String, TestResult> unique = new LinkedHashMap<>();
        for (TestResult r : results) unique.put(r.suite() + "/" + r.name(), r);

        Map<String, List<TestResult>> byOp = new LinkedHashMap<>();
        Map<String, List<TestResult>> bySuite = new TreeMap<>();
        Map<String, Integer> ungrouped = new TreeMap<>();
        for (TestResult r : unique.values()) {
            String suite = r.suite() == null ? "" : r.suite();
            bySuite.computeIfAbsent(suite, s -> new ArrayList<>()).add(r);
            String op = grouping.opOf(r.name());
            if (op == null) ungrouped.merge(suite, 1, Integer::sum);
            else byOp.computeIfAbsent(op, o -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        for (String op : ops) rows.add(row(op, missing.apply(op), byOp.getOrDefault(op, List.of())));
        Map<String, Summary> suites = new TreeMap<>();
        bySuite.forEach((suite, rs) -> suites.put(suite, Summary.of(rs)));
        return new SupportMatrix(rows, suites, ungrouped);
    }

    private static Row row(String op, String missing, List<TestResult> tests) {
        Summary s = Summary.of(tests);
        String firstFailure = null;
        String firstSkip = null;
        for (TestResult t : tests) {
            if (firstFailure == null && t.status() == TestResult.Status.FAIL) firstFailure = t.name() + ": " + t.reason();
            if (firstSkip == null && t.status() == TestResult.Status.SKIP) firstSkip = t.name() + ": " + t.reason();
        }
        return new Row(op, missing, s.passed(), s.failed(), s.skipped(), firstFailure, firstSkip);
    }

    public long implementedCount() { return rows.stream().filter(r -> r.missing() == null).count(); }
}
