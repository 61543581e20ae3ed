package dev.kiln.bench.jmh;

import dev.kiln.ir.json.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of JMH's JSON results ({@code -rf json}): the benchmark ({@code dev.kiln.bench.jmh.GemmBench.backend}),
 * its mode ({@code avgt}, {@code thrpt}, ...), its parameters, and the primary score with its unit.
 */
public record JmhResult(String benchmark, String mode, Map<String, String> params, double score, String unit) {

    /** Every result in the JMH JSON file {@code file}; a file that is not JMH's JSON fails with one line naming it. */
    public static List<JmhResult> read(Path file) throws IOException {
        try {
            if (!(JsonParser.parse(Files.readString(file)) instanceof List<?> entries)) {
                throw new IllegalArgumentException("not a list of results");
            }
            List<JmhResult> results = new ArrayList<>();
            for (Object entry : entries) results.add(of((Map<?, ?>) entry));
            return results;
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": not JMH JSON results (" + e.getMessage() + ")", e);
        }
    }

    private static JmhResult of(Map<?, ?> entry) {
        Map<String, String> params = new LinkedHashMap<>();
        if (entry.get("params") instanceof Map<?, ?> p) p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
        Map<?, ?> metric = (Map<?, ?>) Objects.requireNonNull(entry.get("primaryMetric"), "no primaryMetric");
        return new JmhResult((String) entry.get("benchmark"), (String) entry.get("mode"), params,
                ((Number) metric.get("score")).doubleValue(), (String) metric.get("scoreUnit"));
    }

    /** The class part of the benchmark name: {@code dev.kiln.bench.jmh.GemmBench}. */
    public String benchmarkClass() { return benchmark.substring(0, benchmark.lastIndexOf('.')); }

    /** The method part of the benchmark name: {@code backend}. */
    public String method() { return benchmark.substring(benchmark.lastIndexOf('.') + 1); }

    /** Seconds per call, from a time-per-op score ({@code us/op}) or an ops-per-time one ({@code ops/s}). */
    public double secondsPerCall() {
        int slash = unit.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException(benchmark + ": unknown score unit '" + unit + "'");
        String left = unit.substring(0, slash), right = unit.substring(slash + 1);
        if (right.equals("op")) return score * seconds(left);
        if (left.equals("ops")) return seconds(right) / score;
        throw new IllegalArgumentException(benchmark + ": unknown score unit '" + unit + "'");
    }

    private double seconds(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            default -> throw new IllegalArgumentException(benchmark + ": unknown time unit '" + timeUnit + "' in '" + unit + "'");
        };
    }
}
