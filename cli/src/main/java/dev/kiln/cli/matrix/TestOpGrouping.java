package dev.kiln.cli.matrix;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which operator a conformance test is for, from its folder name: {@code test_<op>...}, the op name matched ignoring
 * case and underscores, the longest match winning ({@code test_reduce_sum_square_x} is ReduceSumSquare, not
 * ReduceSum). ai.onnx.ml tests carry an {@code ai_onnx_ml_} prefix; the tests named otherwise (batchnorm, sce, tril,
 * ...) are listed in the {@code test-name-aliases.txt} resource.
 */
public final class TestOpGrouping {
    private static final String ALIASES = "/dev/kiln/cli/test-name-aliases.txt";

    /** Normalized name prefix → qualified op. */
    private final Map<String, String> prefixes = new HashMap<>();

    public TestOpGrouping(List<String> qualifiedOps) {
        for (String op : qualifiedOps) {
            String domain = OnnxOperators.domain(op);
            String name = normalize(OnnxOperators.name(op));
            prefixes.putIfAbsent(domain.equals("ai.onnx.ml") ? normalize("ai_onnx_ml_") + name : name, op);
        }
        for (String line : OnnxOperators.lines(ALIASES)) {
            String[] parts = line.split("\\s+");
            if (parts.length != 2) throw new IllegalStateException(ALIASES + ": bad line '" + line + "'");
            prefixes.put(normalize(parts[0]), parts[1]);
        }
    }

    public static TestOpGrouping standard() { return new TestOpGrouping(OnnxOperators.all()); }

    /** The qualified op {@code testName} ({@code test_...}) is named for, or null when it is named for none. */
    public String opOf(String testName) {
        if (!testName.startsWith("test_")) return null;
        String name = normalize(testName.substring(5));
        for (int len = name.length(); len > 0; len--) {
            String op = prefixes.get(name.substring(0, len));
            if (op != null) return op;
        }
        return null;
    }

    private static String normalize(String s) { return s.replace("_", "").toLowerCase(Locale.ROOT); }
}
