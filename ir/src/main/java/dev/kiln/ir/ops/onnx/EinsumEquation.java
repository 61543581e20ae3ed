package dev.kiln.ir.ops.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A parsed Einsum equation, resolved against the input ranks. Every axis of every operand and of the output
 * carries a label id: letters map to their character code, and the dims an ellipsis stands for map to
 * {@code ELLIPSIS + j}, right-aligned so that broadcasting ellipsis dims share ids across operands.
 */
public record EinsumEquation(int[][] inputs, int[] output) {
    static final int ELLIPSIS = 1 << 16;

    /** Parses {@code equation} for operands of the given ranks; throws IllegalArgumentException when they do not fit. */
    public static EinsumEquation parse(String equation, int[] ranks) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (terms.length != ranks.length) {
            throw new IllegalArgumentException("equation '" + equation + "' has " + terms.length + " operands, got " + ranks.length + " inputs");
        }
        int ellipsisRank = 0;
        int[] explicit = new int[terms.length];
        for (int i = 0; i < terms.length; i++) {
            explicit[i] = letters(terms[i], equation).length;
            if (terms[i].contains("...")) {
                ellipsisRank = Math.max(ellipsisRank, ranks[i] - explicit[i]);
                if (ranks[i] < explicit[i]) throw new IllegalArgumentException("operand " + i + " has rank " + ranks[i] + ", equation needs at least " + explicit[i]);
            } else if (ranks[i] != explicit[i]) {
                throw new IllegalArgumentException("operand " + i + " has rank " + ranks[i] + ", equation term '" + terms[i] + "' needs " + explicit[i]);
            }
        }
        int[][] inputs = new int[terms.length][];
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int i = 0; i < terms.length; i++) {
            inputs[i] = labels(terms[i], ranks[i] - explicit[i], ellipsisRank, equation);
            for (int id : inputs[i]) counts.merge(id, 1, Integer::sum);
        }
        int[] output;
        if (arrow >= 0) {
            String rhs = eq.substring(arrow + 2);
            output = labels(rhs, rhs.contains("...") ? ellipsisRank : 0, ellipsisRank, equation);
            for (int id : output) {
                if (!counts.containsKey(id)) throw new IllegalArgumentException("output label '" + (char) id + "' is not in any operand");
            }
            if (Arrays.stream(output).distinct().count() != output.length) throw new IllegalArgumentException("output repeats a label");
        } else {
            List<Integer> ids = new ArrayList<>();
            for (int j = 0; j < ellipsisRank; j++) ids.add(ELLIPSIS + j);
            counts.forEach((id, n) -> { if (id < ELLIPSIS && n == 1) ids.add(id); });
            output = ids.stream().mapToInt(Integer::intValue).toArray();
        }
        return new EinsumEquation(inputs, output);
    }

    private static char[] letters(String term, String equation) {
        String t = term.replace("...", "");
        for (char c : t.toCharArray()) {
            if (!Character.isLetter(c)) throw new IllegalArgumentException("bad character '" + c + "' in equation '" + equation + "'");
        }
        return t.toCharArray();
    }

    private static int[] labels(String term, int ellipsisDims, int ellipsisRank, String equation) {
        int at = term.indexOf("...");
        if (at >= 0 && term.indexOf("...", at + 1) >= 0) throw new IllegalArgumentException("term '" + term + "' has two ellipses");
        char[] before = letters(at < 0 ? term : term.substring(0, at), equation);
        char[] after = at < 0 ? new char[0] : letters(term.substring(at + 3), equation);
        int[] ids = new int[before.length + (at < 0 ? 0 : ellipsisDims) + after.length];
        int k = 0;
        for (char c : before) ids[k++] = c;
        if (at >= 0) for (int j = 0; j < ellipsisDims; j++) ids[k++] = ELLIPSIS + ellipsisRank - ellipsisDims + j;
        for (char c : after) ids[k++] = c;
        return ids;
    }

    /** Every label id used, output labels first, then the summed-over ones in ascending order. */
    public int[] allLabels() {
        List<Integer> all = new ArrayList<>();
        for (int id : output) all.add(id);
        TreeMap<Integer, Boolean> rest = new TreeMap<>();
        for (int[] in : inputs) for (int id : in) if (!all.contains(id)) rest.put(id, true);
        all.addAll(rest.keySet());
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The size of each label (indexed like {@link #allLabels()}) given the operand shapes ({@code -1} for
     * unknown dims); ellipsis dims broadcast, letters must agree.
     */
    public long[] labelSizes(long[][] shapes) {
        int[] all = allLabels();
        long[] sizes = new long[all.length];
        Arrays.fill(sizes, -2);
        for (int i = 0; i < inputs.length; i++) {
            for (int a = 0; a < inputs[i].length; a++) {
                int pos = indexOf(all, inputs[i][a]);
                long d = shapes[i][a];
                long cur = sizes[pos];
                boolean broadcasts = inputs[i][a] >= ELLIPSIS;
                if (cur == -2 || cur == d || broadcasts && cur == 1) sizes[pos] = d;
                else if (broadcasts && d == 1 || d < 0) continue;
                else if (cur < 0) sizes[pos] = d;
                else throw new IllegalArgumentException("label '" + name(inputs[i][a]) + "' has sizes " + cur + " and " + d);
            }
        }
        for (int i = 0; i < sizes.length; i++) if (sizes[i] == -2) sizes[i] = 1;
        return sizes;
    }

    static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == id) return i;
        return -1;
    }

    private static String name(int id) { return id >= ELLIPSIS ? "..." : String.valueOf((char) id); }
}
