package dev.kiln.cli.conformance;

import java.util.List;

/** How one conformance test ended. {@code reason} is null for a pass; {@code ops} are the qualified ops its model uses. */
public record TestResult(String name, String suite, Status status, String reason, List<String> ops, double seconds) {
    public enum Status { PASS, FAIL, SKIP }

    public TestResult {
        ops = List.copyOf(ops);
    }

    /** The report line: {@code PASS name}, {@code FAIL name: reason}, {@code SKIP name: reason}. */
    public String line() {
        return status + " " + name + (reason == null ? "" : ": " + reason);
    }
}
