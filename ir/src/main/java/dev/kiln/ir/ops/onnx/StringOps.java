package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.Broadcast;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;

/** String ops: StringNormalizer, StringSplit, StringConcat, RegexFullMatch, and the n-gram TfIdfVectorizer. */
public final class StringOps implements OpFamily {
    private static final Set<DType> STRING = Set.of(DType.STRING);

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("StringNormalizer").since(10).inputs(1).outputs(1)
                        .attr(AttrSpec.withDefault("case_change_action", Attribute.of("NONE")))
                        .attr(AttrSpec.withDefault("is_case_sensitive", Attribute.of(0L)))
                        .attr(AttrSpec.optional("locale", Attribute.Kind.STRING))
                        .attr(AttrSpec.optional("stopwords", Attribute.Kind.STRINGS))
                        .infer(StringOps::inferNormalizer),
                OpSchema.op("StringSplit").since(20).inputs(1).outputs(2)
                        .attr(AttrSpec.optional("delimiter", Attribute.Kind.STRING))
                        .attr(AttrSpec.optional("maxsplit", Attribute.Kind.INT))
                        .infer(StringOps::inferSplit),
                OpSchema.op("StringConcat").since(20).inputs(2).outputs(1)
                        .infer(ctx -> {
                            requireDType(ctx, 0, STRING, "X");
                            requireDType(ctx, 1, STRING, "Y");
                            try {
                                return InferenceContext.one(new TensorType(DType.STRING,
                                        Broadcast.shapes(List.of(ctx.inputShape(0), ctx.inputShape(1)))));
                            } catch (IllegalArgumentException e) {
                                throw ctx.fail(e.getMessage());
                            }
                        }),
                OpSchema.op("RegexFullMatch").since(20).inputs(1).outputs(1)
                        .attr(AttrSpec.required("pattern", Attribute.Kind.STRING))
                        .infer(ctx -> {
                            requireDType(ctx, 0, STRING, "X");
                            try {
                                Pattern.compile(ctx.stringAttr("pattern"));
                            } catch (PatternSyntaxException e) {
                                throw ctx.fail("invalid pattern: " + e.getDescription());
                            }
                            return InferenceContext.one(new TensorType(DType.BOOL, ctx.inputShape(0)));
                        }),
                OpSchema.op("TfIdfVectorizer").since(9).inputs(1).outputs(1)
                        .attr(AttrSpec.required("max_gram_length", Attribute.Kind.INT))
                        .attr(AttrSpec.required("min_gram_length", Attribute.Kind.INT))
                        .attr(AttrSpec.required("max_skip_count", Attribute.Kind.INT))
                        .attr(AttrSpec.required("mode", Attribute.Kind.STRING))
                        .attr(AttrSpec.required("ngram_counts", Attribute.Kind.INTS))
                        .attr(AttrSpec.required("ngram_indexes", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("pool_int64s", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("pool_strings", Attribute.Kind.STRINGS))
                        .attr(AttrSpec.optional("weights", Attribute.Kind.FLOATS))
                        .infer(StringOps::inferTfIdf));
    }

    private static List<ValueType> inferNormalizer(InferenceContext ctx) {
        requireDType(ctx, 0, STRING, "X");
        String action = ctx.stringAttr("case_change_action");
        if (!Set.of("NONE", "LOWER", "UPPER").contains(action)) throw ctx.fail("case_change_action must be NONE, LOWER or UPPER, got " + action);
        Shape x = ctx.inputShape(0);
        if (x.hasRank() && (x.rank() < 1 || x.rank() > 2 || (x.rank() == 2 && !x.dim(0).equals(Dim.of(1))))) {
            throw ctx.fail("X must be [C] or [1, C], got " + x);
        }
        // Stopword removal makes the kept count data-dependent.
        Shape y = !x.hasRank() ? x : x.rank() == 1 ? Shape.unknownDims(1) : ControlFamilyDims.shape(Dim.of(1), Dim.UNKNOWN);
        return InferenceContext.one(new TensorType(DType.STRING, y));
    }

    private static List<ValueType> inferSplit(InferenceContext ctx) {
        requireDType(ctx, 0, STRING, "X");
        if (ctx.hasAttr("maxsplit") && ctx.intAttr("maxsplit") < 0) throw ctx.fail("maxsplit must be non-negative");
        Shape x = ctx.inputShape(0);
        Shape substrings = Shape.UNKNOWN_RANK;
        if (x.hasRank()) {
            List<Dim> dims = new ArrayList<>(x.dims());
            dims.add(Dim.UNKNOWN);
            substrings = Shape.of(dims);
        }
        return List.of(new TensorType(DType.STRING, substrings), new TensorType(DType.I64, x));
    }

    private static List<ValueType> inferTfIdf(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, Set.of(DType.STRING, DType.I32, DType.I64), "X");
        boolean strings = ctx.hasAttr("pool_strings");
        if (strings == ctx.hasAttr("pool_int64s")) throw ctx.fail("exactly one of pool_strings and pool_int64s is required");
        if (strings != (t == DType.STRING)) throw ctx.fail("the pool type does not match X (" + t + ")");
        String mode = ctx.stringAttr("mode");
        if (!Set.of("TF", "IDF", "TFIDF").contains(mode)) throw ctx.fail("mode must be TF, IDF or TFIDF, got " + mode);
        long min = ctx.intAttr("min_gram_length"), max = ctx.intAttr("max_gram_length");
        if (min < 1 || max < min) throw ctx.fail("gram lengths must satisfy 1 <= min <= max, got " + min + ", " + max);
        long width = 0;
        for (long i : ctx.intsAttr("ngram_indexes")) width = Math.max(width, i + 1);
        Shape x = ControlFamilyDims.requireRank(ctx, 0, 1, 2, "X");
        Shape y = x == null ? Shape.UNKNOWN_RANK
                : x.rank() == 1 ? Shape.of(width) : ControlFamilyDims.shape(x.dim(0), Dim.of(width));
        return InferenceContext.one(new TensorType(DType.F32, y));
    }
}
