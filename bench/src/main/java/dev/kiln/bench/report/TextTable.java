package dev.kiln.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A fixed-width text table for terminals: columns padded to their widest cell, numbers right-aligned. */
final class TextTable {
    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    TextTable column(String header, boolean alignRight) {
        headers.add(header);
        rightAligned.add(alignRight);
        return this;
    }

    TextTable row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells for " + headers.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /** The header, a rule of dashes, and the rows, each line ending in a newline with no trailing spaces. */
    String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = width(headers.get(c));
            for (List<String> row : rows) widths[c] = Math.max(widths[c], width(row.get(c)));
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        List<String> rule = new ArrayList<>();
        for (int width : widths) rule.add("-".repeat(width));
        line(out, rule, widths);
        for (List<String> row : rows) line(out, row, widths);
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) line.append("  ");
            String padding = " ".repeat(widths[c] - width(cells.get(c)));
            line.append(rightAligned.get(c) ? padding + cells.get(c) : cells.get(c) + padding);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** Width in terminal columns; every character the tables use (including µ, ×, —) takes one. */
    private static int width(String text) { return text.codePointCount(0, text.length()); }
}
