package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Indexing;
import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** StringNormalizer, StringSplit, StringConcat, RegexFullMatch and TfIdfVectorizer. */
public final class StringKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.of("StringNormalizer", StringKernels::normalize, "StringSplit", StringKernels::split,
                "StringConcat", StringKernels::concat, "RegexFullMatch", StringKernels::fullMatch,
                "TfIdfVectorizer", TfIdfKernel::run);
    }

    private static Tensor strings(KernelContext ctx, int i) {
        Tensor t = ctx.input(i);
        if (t.dtype() != DType.STRING) throw ctx.fail("input " + i + " must be a string tensor, got " + t.dtype());
        return t;
    }

    /** Drops stopwords, then changes case; an all-dropped input yields one empty string. */
    private static List<RuntimeValue> normalize(KernelContext ctx) {
        Tensor x = strings(ctx, 0);
        if (x.rank() != 1 && !(x.rank() == 2 && x.dim(0) == 1)) throw ctx.fail("X must be [C] or [1, C]");
        Locale locale = ctx.attr("locale") == null ? Locale.US : Locale.forLanguageTag(ctx.stringAttr("locale", "en-US").replace('_', '-'));
        boolean caseSensitive = ctx.intAttr("is_case_sensitive", 0) != 0;
        Set<String> stopwords = new HashSet<>();
        Attribute words = ctx.attr("stopwords");
        if (words != null) for (String w : words.asStrings()) stopwords.add(caseSensitive ? w : w.toLowerCase(locale));
        String action = ctx.stringAttr("case_change_action", "NONE");
        List<String> kept = new ArrayList<>();
        for (String s : x.toStrings()) {
            if (stopwords.contains(caseSensitive ? s : s.toLowerCase(locale))) continue;
            kept.add(switch (action) {
                case "LOWER" -> s.toLowerCase(locale);
                case "UPPER" -> s.toUpperCase(locale);
                case "NONE" -> s;
                default -> throw ctx.fail("unknown case_change_action '" + action + "'");
            });
        }
        if (kept.isEmpty()) kept.add("");
        long[] shape = x.rank() == 1 ? new long[] {kept.size()} : new long[] {1, kept.size()};
        return List.of(Tensor.ofStrings(shape, kept.toArray(String[]::new)));
    }

    /**
     * Splits each string like Python's {@code str.split}: on the delimiter (keeping empty pieces), or with no or an
     * empty delimiter on runs of whitespace; at most {@code maxsplit} splits. Rows are padded with empty strings.
     */
    private static List<RuntimeValue> split(KernelContext ctx) {
        Tensor x = strings(ctx, 0);
        String delimiter = ctx.stringAttr("delimiter", "");
        Attribute maxAttr = ctx.attr("maxsplit");
        long maxSplit = maxAttr == null ? Long.MAX_VALUE : maxAttr.asInt();
        List<List<String>> pieces = new ArrayList<>();
        int width = 0;
        for (String s : x.toStrings()) {
            List<String> p = delimiter.isEmpty() ? splitWhitespace(s, maxSplit) : splitOn(s, delimiter, maxSplit);
            pieces.add(p);
            width = Math.max(width, p.size());
        }
        String[] out = new String[pieces.size() * width];
        long[] counts = new long[pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            List<String> p = pieces.get(i);
            counts[i] = p.size();
            for (int j = 0; j < width; j++) out[i * width + j] = j < p.size() ? p.get(j) : "";
        }
        long[] shape = x.shape();
        long[] outShape = java.util.Arrays.copyOf(shape, shape.length + 1);
        outShape[shape.length] = width;
        return List.of(Tensor.ofStrings(outShape, out), Tensor.ofLongs(DType.I64, shape, counts));
    }

    private static List<String> splitOn(String s, String delimiter, long maxSplit) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int at = s.indexOf(delimiter); at >= 0 && out.size() < maxSplit; at = s.indexOf(delimiter, start)) {
            out.add(s.substring(start, at));
            start = at + delimiter.length();
        }
        out.add(s.substring(start));
        return out;
    }

    private static List<String> splitWhitespace(String s, long maxSplit) {
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            if (i >= n) break;
            if (out.size() == maxSplit) {
                out.add(s.substring(i));
                break;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i))) i++;
            out.add(s.substring(start, i));
        }
        return out;
    }

    private static List<RuntimeValue> concat(KernelContext ctx) {
        Tensor a = strings(ctx, 0), b = strings(ctx, 1);
        long[] shape;
        try {
            shape = Indexing.broadcastShape(a.shape(), b.shape());
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        int[] ia = Indexing.broadcastMap(a.shape(), shape), ib = Indexing.broadcastMap(b.shape(), shape);
        String[] sa = a.toStrings(), sb = b.toStrings(), out = new String[ia.length];
        for (int i = 0; i < out.length; i++) out[i] = sa[ia[i]] + sb[ib[i]];
        return List.of(Tensor.ofStrings(shape, out));
    }

    private static List<RuntimeValue> fullMatch(KernelContext ctx) {
        Tensor x = strings(ctx, 0);
        Pattern pattern = Pattern.compile(ctx.stringAttr("pattern", ""));
        String[] s = x.toStrings();
        long[] out = new long[s.length];
        for (int i = 0; i < s.length; i++) out[i] = pattern.matcher(s[i]).matches() ? 1 : 0;
        return List.of(Tensor.ofLongs(DType.BOOL, x.shape(), out));
    }
}
