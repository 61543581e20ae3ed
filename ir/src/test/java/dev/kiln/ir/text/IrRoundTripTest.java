package dev.kiln.ir.text;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SampleGraphs;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.NumericFormats;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.kiln.ir.GraphAssert.assertSameGraph;
import static dev.kiln.ir.SampleGraphs.attrs;
import static dev.kiln.ir.SampleGraphs.t;
import static dev.kiln.ir.SampleGraphs.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IrRoundTripTest {
    /** print → parse gives an equal graph, and printing that gives the same bytes. */
    private static void assertRoundTrips(Graph g) {
        String text = IrPrinter.print(g);
        Graph parsed = IrParser.parse(text, ConstantResolver.of(g));
        assertSameGraph(g, parsed);
        assertEquals(text, IrPrinter.print(parsed));
    }

    @Test
    void sampleGraph() { assertRoundTrips(SampleGraphs.valid()); }

    @Test
    void everyTypeAndAwkwardNames() {
        List<ValueType> types = new ArrayList<>();
        for (DType d : DType.values()) types.add(t(d, 1, "batch", "?"));
        types.add(new TensorType(DType.F32, Shape.UNKNOWN_RANK));
        types.add(t(DType.F32));
        types.add(t(DType.F32, "batch size", "_", "1x", "seq", "N*2"));
        types.add(new SequenceType(t(DType.I64, "?")));
        types.add(new OptionalType(new SequenceType(new OptionalType(t(DType.STRING, 0)))));
        String[] names = {"x", "0", "conv1.weight", "onnx::Conv_1", "a/b:c", "_", "quote\"back\\slash", "new\nline",
                "é ü", "\u0001ctl\u007f", "emoji \uD83D\uDE00", "lone \uD800 surrogate", "->", "%", "@main", "graph", "const"};
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) inputs.add(v(names[i % names.length] + (i < names.length ? "" : "#" + i), types.get(i)));
        Graph g = new Graph("weird name \"g\"", inputs, inputs.reversed(), List.of(), Map.of(), Map.of());
        assertRoundTrips(g);
    }

    @Test
    void nodesWithDomainsKeywordsAbsentValuesAndOutOfOrderUses() {
        Value x = v("x", t(DType.F32, 4));
        Value y = v("y", t(DType.F32, 4));
        Value later = v("later", t(DType.F32, 4));
        List<Node> nodes = List.of(
                new Node("", "", "Relu", List.of(x), List.of(y), Map.of()),
                new Node("uses later", "ai.onnx.ml", "Binarizer", List.of(later, Value.ABSENT), List.of(v("z", t(DType.F32, 4))), Map.of()),
                new Node("n", "odd domain!", "const", List.of(Value.ABSENT, y), List.of(Value.ABSENT, later, Value.ABSENT), Map.of()),
                new Node("", "", "name", List.of(), List.of(), Map.of()),
                new Node("", "const", "Op", List.of(), List.of(), Map.of()),
                new Node("", "", "opsets", List.of(v("undefined", t(DType.I64))), List.of(), Map.of()),
                new Node("retyped", "", "_", List.of(v("x", t(DType.F32, "n"))), List.of(v("x2", t(DType.F32, "n"))), Map.of()));
        Map<String, Integer> opsets = new LinkedHashMap<>();
        opsets.put("", 21);
        opsets.put("ai.onnx.ml", 5);
        assertRoundTrips(new Graph("", List.of(x, Value.ABSENT), List.of(y, Value.ABSENT, later), nodes, Map.of(), opsets));
    }

    @Test
    void everyAttributeKindIncludingSpecialFloatsAndNestedGraphs() {
        Value x = v("x", t(DType.F32, 2));
        Graph inner = new Graph("inner", List.of(v("i", t(DType.I64))), List.of(x), List.of(), Map.of(), Map.of("", 13));
        Graph body = new Graph("body", List.of(v("b", t(DType.F32, 2))), List.of(v("c", t(DType.F32, 2))),
                List.of(new Node("deep", "", "If", List.of(x), List.of(v("c", t(DType.F32, 2))), attrs("g", Attribute.of(inner)))),
                Map.of("k", Tensor.ofFloats(new long[] {2}, 1, 2)), Map.of("", 21));
        Tensor large = Tensor.ofDoubles(DType.F64, new long[] {5, 5}, randomDoubles(25));
        Map<String, Attribute> a = attrs(
                "f", Attribute.of(0.1f), "nan", Attribute.of(Float.NaN), "payload", Attribute.of(Float.intBitsToFloat(0xffc00123)),
                "inf", Attribute.of(Float.POSITIVE_INFINITY), "ninf", Attribute.of(Float.NEGATIVE_INFINITY),
                "nzero", Attribute.of(-0.0f), "tiny", Attribute.of(Float.MIN_VALUE), "max", Attribute.of(Float.MAX_VALUE),
                "i", Attribute.of(Long.MAX_VALUE), "imin", Attribute.of(Long.MIN_VALUE), "s", Attribute.of(""),
                "t", Attribute.of(Tensor.ofStrings(new long[] {1}, "\"\\")), "tl", Attribute.of(large),
                "g", Attribute.of(body), "ty", Attribute.of(new OptionalType(t(DType.BF16, "d"))),
                "fs", Attribute.floats(Float.NaN, -0f, 1e-7f, Float.NEGATIVE_INFINITY), "is", Attribute.ints(-1, 0, 7),
                "ss", Attribute.strings(List.of("a", "", "\t")), "ts", Attribute.tensors(List.of(large, Tensor.scalar(DType.I8, -5))),
                "gs", Attribute.graphs(List.of(body, inner)), "tys", Attribute.types(List.of(x.type(), new SequenceType(x.type()))),
                "e1", Attribute.floats(), "e2", Attribute.ints(), "e3", Attribute.strings(List.of()), "e4", Attribute.tensors(List.of()),
                "e5", Attribute.graphs(List.of()), "e6", Attribute.types(List.of()), "weird name", Attribute.of(1L));
        Node n = new Node("all", "", "Everything", List.of(x), List.of(v("y", t(DType.F32, 2))), a);
        assertRoundTrips(new Graph("main", List.of(x), List.of(v("y", t(DType.F32, 2))), List.of(n), Map.of(), Map.of("", 21)));
    }

    @Test
    void constantsOfEveryDtypeInlineAndByHash() {
        Random random = new Random(7);
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (DType d : DType.values()) {
            constants.put(d.shortName() + "_small", randomTensor(d, new long[] {2, 3}, random));
            constants.put(d.shortName() + "_large", randomTensor(d, new long[] {4, 5}, random));
            constants.put(d.shortName() + "_scalar", randomTensor(d, new long[0], random));
            constants.put(d.shortName() + "_empty", randomTensor(d, new long[] {0, 3}, random));
        }
        assertRoundTrips(new Graph("consts", List.of(), List.of(), List.of(), constants, Map.of()));
    }

    /**
     * Every bit pattern of the 8- and 4-bit float formats, and of f16 and bf16 every fifth one plus every NaN,
     * infinity and zero, survives in tensors of 16 (inline) elements.
     */
    @Test
    void smallFloatBitPatternsAreExact() {
        for (DType d : List.of(DType.F16, DType.BF16, DType.F8E4M3FN, DType.F8E4M3FNUZ, DType.F8E5M2, DType.F8E5M2FNUZ,
                DType.F4E2M1, DType.F8E8M0)) {
            List<Integer> patterns = new ArrayList<>();
            for (int bits = 0; bits < 1 << d.bits(); bits++) {
                double value = NumericFormats.decode(d, bits);
                if (d.bits() <= 8 || bits % 5 == 0 || !Double.isFinite(value) || value == 0) patterns.add(bits);
            }
            while (patterns.size() % 16 != 0) patterns.add(patterns.getFirst());
            Map<String, Tensor> constants = new LinkedHashMap<>();
            for (int start = 0; start < patterns.size(); start += 16) {
                ByteBuffer b = ByteBuffer.allocate(16 * d.storageBytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (int bits : patterns.subList(start, start + 16)) {
                    if (d.storageBytes() == 2) b.putShort((short) bits); else b.put((byte) bits);
                }
                constants.put("c" + start, Tensor.fromStorage(d, new long[] {16}, b.flip()));
            }
            assertRoundTrips(new Graph(d.shortName(), List.of(), List.of(), List.of(), constants, Map.of()));
        }
    }

    @Test
    void randomFloatAndDoubleBitsAreExact() {
        Random random = new Random(42);
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            constants.put("f" + i, randomTensor(DType.F32, new long[] {16}, random));
            constants.put("d" + i, randomTensor(DType.F64, new long[] {16}, random));
            constants.put("c" + i, randomTensor(DType.C64, new long[] {8}, random));
        }
        assertRoundTrips(new Graph("bits", List.of(), List.of(), List.of(), constants, Map.of()));
    }

    /** Random storage bits: any pattern for floats (NaN payloads included), in-range values for the rest. */
    private static Tensor randomTensor(DType d, long[] shape, Random random) {
        int n = Tensor.checkedSize(shape);
        if (d == DType.STRING) {
            String[] s = new String[n];
            for (int i = 0; i < n; i++) s[i] = "s" + random.nextInt() + (i % 3 == 0 ? "\n\"" : "");
            return Tensor.ofStrings(shape, s);
        }
        Tensor t = Tensor.zeros(d, shape);
        if (d.isFloat() || d.kind() == DType.Kind.COMPLEX) {
            byte[] bytes = new byte[t.data().capacity()];
            random.nextBytes(bytes);
            if (d == DType.F4E2M1) for (int i = 0; i < bytes.length; i++) bytes[i] &= 0xF;
            return Tensor.fromStorage(d, shape, ByteBuffer.wrap(bytes));
        }
        for (int i = 0; i < n; i++) t.setLong(i, random.nextLong());
        return t;
    }

    private static double[] randomDoubles(int n) {
        Random random = new Random(n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = random.nextGaussian();
        return d;
    }
}
