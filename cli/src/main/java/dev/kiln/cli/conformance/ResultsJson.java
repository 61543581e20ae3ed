package dev.kiln.cli.conformance;

import dev.kiln.cli.json.Json;
import dev.kiln.runtime.KilnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-test results file of {@code kiln conformance --json}, read back by {@code kiln support-matrix}:
 * {@code {"kiln", "device", "summary": {passed, failed, skipped}, "tests": [{name, folder, status, reason, ops,
 * seconds, kernels}]}}; {@code kernels} (op → own, generic or mixed) only where the device reports its kernels.
 */
public final class ResultsJson {
    private ResultsJson() {}

    public static void write(Path file, List<TestResult> results, String device, String kilnVersion) {
        Summary summary = Summary.of(results);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kiln", kilnVersion);
        root.put("device", device);
        root.put("summary", Map.of("passed", summary.passed(), "failed", summary.failed(), "skipped", summary.skipped()));
        List<Object> tests = new ArrayList<>();
        for (TestResult r : results) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", r.name());
            t.put("folder", r.suite());
            t.put("status", r.status().name());
            t.put("reason", r.reason());
            t.put("ops", r.ops());
            t.put("seconds", r.seconds());
            if (!r.kernels().isEmpty()) t.put("kernels", r.kernels());
            tests.add(t);
        }
        root.put("tests", tests);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, Json.write(root));
        } catch (IOException e) {
            throw new KilnException(file + ": cannot write results: " + e.getMessage(), e);
        }
    }

    /** The device a results file was run on. */
    public static String device(Path file) {
        if (root(file) instanceof Map<?, ?> map && map.get("device") instanceof String device) return device;
        throw new KilnException(file + ": no \"device\" in the results file");
    }

    private static Object root(Path file) {
        try {
            return Json.parse(Files.readString(file));
        } catch (IOException e) {
            throw new KilnException(file + ": cannot read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new KilnException(file + ": not JSON: " + e.getMessage(), e);
        }
    }

    public static List<TestResult> read(Path file) {
        Object root = root(file);
        if (!(root instanceof Map<?, ?> map) || !(map.get("tests") instanceof List<?> tests)) {
            throw new KilnException(file + ": not a conformance results file (no \"tests\" list)");
        }
        List<TestResult> results = new ArrayList<>();
        for (Object t : tests) {
            if (!(t instanceof Map<?, ?> test)) throw new KilnException(file + ": a test entry is not an object");
            try {
                results.add(new TestResult(text(test, "name", true), text(test, "folder", false),
                        TestResult.Status.valueOf(text(test, "status", true)), text(test, "reason", false),
                        ops(test.get("ops")), test.get("seconds") instanceof Number n ? n.doubleValue() : 0, kernels(test.get("kernels"))));
            } catch (IllegalArgumentException e) {
                throw new KilnException(file + ": bad test entry " + test.get("name") + ": " + e.getMessage(), e);
            }
        }
        return results;
    }

    private static String text(Map<?, ?> test, String key, boolean required) {
        Object v = test.get(key);
        if (v == null && !required) return null;
        if (v instanceof String s) return s;
        throw new IllegalArgumentException("\"" + key + "\" must be a string");
    }

    private static List<String> ops(Object v) {
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw new IllegalArgumentException("\"ops\" must be a list");
        return list.stream().map(String::valueOf).toList();
    }

    private static Map<String, String> kernels(Object value) {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> map)) throw new IllegalArgumentException("\"kernels\" must be an object");
        Map<String, String> kernels = new LinkedHashMap<>();
        map.forEach((op, kind) -> {
            if (!(kind instanceof String k) || !List.of(TestResult.OWN, TestResult.GENERIC, TestResult.MIXED).contains(k)) {
                throw new IllegalArgumentException("\"kernels\" of " + op + " must be own, generic or mixed");
            }
            kernels.put(String.valueOf(op), k);
        });
        return kernels;
    }
}
