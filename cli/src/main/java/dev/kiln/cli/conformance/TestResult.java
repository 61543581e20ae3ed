package dev.kiln.cli.conformance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one conformance test ended. {@code reason} is null for a pass; {@code ops} are the qualified ops its model
 * uses; {@code kernels} says, for each op of the compiled graph, whether the device ran it with a kernel of its own
 * ({@link #OWN}), its generic one ({@link #GENERIC}) or both ({@link #MIXED}) — empty when the device does not say.
 */
public record TestResult(String name, String suite, Status status, String reason, List<String> ops, double seconds,
                         Map<String, String> kernels) {
    public enum Status { PASS, FAIL, SKIP }

    public static final String OWN = "own";
    public static final String GENERIC = "generic";
    public static final String MIXED = "mixed";

    public TestResult {
        ops = List.copyOf(ops);
        kernels = java.util.Collections.unmodifiableMap(new TreeMap<>(kernels));
    }

    public TestResult(String name, String suite, Status status, String reason, List<String> ops, double seconds) {
        this(name, suite, status, reason, ops, seconds, Map.of());
    }

    /** The report line: {@code PASS name}, {@code FAIL name: reason}, {@code SKIP name: reason}. */
    public String line() {
        return status + " " + name + (reason == null ? "" : ": " + reason);
    }
}
