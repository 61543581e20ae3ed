package dev.kiln.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Text measures and labels shared by the charts. */
final class ChartText {
    /** Average advance of a 12px sans-serif character, to size label margins without a font engine. */
    static final double CHAR_WIDTH = 6.6;

    private ChartText() {}

    /** The CSS class that colours a result by runtime: Kiln in one colour, the baseline in another. */
    static String runtimeClass(ResultRow row) { return row.isBaseline() ? "rt-baseline" : "rt-kiln"; }

    /** The first row of each runtime class (Kiln, baseline) in {@code rows}, for legends. */
    static List<ResultRow> oneRowPerRuntime(List<ResultRow> rows) {
        List<ResultRow> firsts = new ArrayList<>();
        rows.stream().filter(row -> !row.isBaseline()).findFirst().ifPresent(firsts::add);
        rows.stream().filter(ResultRow::isBaseline).findFirst().ifPresent(firsts::add);
        return firsts;
    }

    /** The width the longest of {@code labels} takes, clamped to {@code min..max}. */
    static double widthOfLongest(List<String> labels, double min, double max) {
        int longest = labels.stream().mapToInt(String::length).max().orElse(0);
        return Math.clamp(longest * CHAR_WIDTH, min, max);
    }
}
