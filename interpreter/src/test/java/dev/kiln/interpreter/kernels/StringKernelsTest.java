package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StringKernelsTest {
    private static Tensor s(String... v) { return Tensor.ofStrings(new long[] {v.length}, v); }

    @Test
    void normalizerDropsStopwordsThenChangesCase() {
        Tensor y = OneNode.op("StringNormalizer").opset(10).attr("stopwords", Attribute.strings(List.of("the")))
                .attr("case_change_action", Attribute.of("UPPER")).run(s("The", "cat", "the"));
        assertArrayEquals(new String[] {"CAT"}, y.toStrings());
    }

    @Test
    void splitPadsRowsAndCountsPieces() {
        List<RuntimeValue> out = OneNode.op("StringSplit").opset(20).outputs(2).runValues(s(" a  b ", "c"));
        assertArrayEquals(new String[] {"a", "b", "c", ""}, ((Tensor) out.get(0)).toStrings());
        assertArrayEquals(new long[] {2, 1}, ((Tensor) out.get(1)).toLongs());
        Tensor pieces = (Tensor) OneNode.op("StringSplit").opset(20).outputs(2).attr("delimiter", Attribute.of("-"))
                .attr("maxsplit", Attribute.of(1L)).runValues(s("a--b")).getFirst();
        assertArrayEquals(new String[] {"a", "-b"}, pieces.toStrings());
    }

    @Test
    void concatBroadcastsAndRegexMatchesWholeStrings() {
        Tensor y = OneNode.op("StringConcat").opset(20).run(s("a", "b"), Tensor.ofStrings(new long[0], "!"));
        assertArrayEquals(new String[] {"a!", "b!"}, y.toStrings());
        Tensor m = OneNode.op("RegexFullMatch").opset(20).attr("pattern", Attribute.of("a+b")).run(s("aab", "aabc"));
        assertArrayEquals(new long[] {1, 0}, m.toLongs());
    }

    @Test
    void tfIdfCountsSkipGrams() {
        Tensor x = Tensor.ofLongs(DType.I64, new long[] {4}, 1, 2, 9, 2);
        Tensor y = OneNode.op("TfIdfVectorizer").opset(9).attr("min_gram_length", Attribute.of(2L))
                .attr("max_gram_length", Attribute.of(2L)).attr("max_skip_count", Attribute.of(1L))
                .attr("mode", Attribute.of("TF")).attr("ngram_counts", Attribute.ints(0, 0))
                .attr("ngram_indexes", Attribute.ints(0)).attr("pool_int64s", Attribute.ints(1, 2)).run(x);
        assertArrayEquals(new double[] {1}, y.toDoubles());
    }

    @Test
    void badRegexIsRejected() {
        assertThrows(InferenceException.class, () -> OneNode.op("RegexFullMatch").opset(20).attr("pattern", Attribute.of("(")).run(s("x")));
    }
}
