package dev.kiln.cli.matrix;

import dev.kiln.cli.conformance.TestResult;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which ops a device runs with kernels of its own and which with its generic kernel, as a conformance run on that
 * device recorded them (each test's compiled graph, per op): a cell per op for the support matrix.
 */
public record KernelCoverage(String device, Map<String, String> cellByOp) {
    /** Counts each op's tests by how it ran: every test with the device's own kernel, none, or some. */
    public static KernelCoverage of(String device, Iterable<TestResult> results) {
        Map<String, int[]> counts = new TreeMap<>(); // op -> {own, generic, mixed}
        for (TestResult r : results) {
            r.kernels().forEach((op, kind) -> {
                int[] c = counts.computeIfAbsent(op, o -> new int[3]);
                c[switch (kind) {
                    case TestResult.OWN -> 0;
                    case TestResult.GENERIC -> 1;
                    default -> 2;
                }]++;
            });
        }
        Map<String, String> cells = new TreeMap<>();
        counts.forEach((op, c) -> cells.put(op, cell(c[0], c[1], c[2])));
        return new KernelCoverage(device, cells);
    }

    /** The cell for an op none of the device's tests compiled (it was fused away, expanded or never tested): "—". */
    public String cell(String op) { return cellByOp.getOrDefault(op, "—"); }

    private static String cell(int own, int generic, int mixed) {
        int tests = own + generic + mixed;
        if (own == tests) return "own";
        if (generic == tests) return "generic";
        return "own in " + own + " of " + tests + " tests";
    }
}
