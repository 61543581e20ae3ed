package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Limits a run must meet ({@code --max-p99}, {@code --max-energy}), so CI can hold a model to a budget: any
 * configuration over a limit makes {@code kiln bench} exit non-zero. Only Kiln's figures are held to it.
 */
public record Budget(double maxP99Micros, double maxJoulesPerInference) {
    private static final Pattern DURATION = Pattern.compile("([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(ns|us|µs|ms|s)?");
    private static final Pattern ENERGY = Pattern.compile("([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(nJ|uJ|µJ|mJ|J)?");

    public static final Budget NONE = new Budget(Double.NaN, Double.NaN);

    /** {@code 5ms}, {@code 250us}, {@code 1.5s}, or a bare number of seconds. */
    public static double parseMicros(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 5ms, 250us, 1.5s)");
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ns" -> v / 1e3;
            case "us", "µs" -> v;
            case "ms" -> v * 1e3;
            default -> v * 1e6;
        };
    }

    /** {@code 0.002}, {@code 2mJ}, {@code 150uJ}: joules. */
    public static double parseJoules(String text) {
        Matcher m = ENERGY.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("not an energy: '" + text + "' (examples: 0.002, 2mJ, 150uJ)");
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "J" : m.group(2);
        return switch (unit) {
            case "nJ" -> v / 1e9;
            case "uJ", "µJ" -> v / 1e6;
            case "mJ" -> v / 1e3;
            default -> v;
        };
    }

    /** One line per limit {@code result} exceeds; empty when within budget. */
    public List<String> violations(BenchResult result) {
        List<String> out = new ArrayList<>();
        String config = result.model() + " [" + result.configLabel() + "]";
        if (!Double.isNaN(maxP99Micros) && result.latency().p99Us() > maxP99Micros) {
            out.add(String.format(Locale.ROOT, "%s: p99 %.1f µs exceeds the budget of %.1f µs", config, result.latency().p99Us(), maxP99Micros));
        }
        if (!Double.isNaN(maxJoulesPerInference)) {
            if (result.energy() == null) {
                out.add(config + ": no energy figure to hold to the --max-energy budget");
            } else if (result.energy().joulesPerInference() > maxJoulesPerInference) {
                out.add(String.format(Locale.ROOT, "%s: energy %.3g J per inference (%s) exceeds the budget of %.3g J", config,
                        result.energy().joulesPerInference(), result.energy().source(), maxJoulesPerInference));
            }
        }
        return out;
    }
}
