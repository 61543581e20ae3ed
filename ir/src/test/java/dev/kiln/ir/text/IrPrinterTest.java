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
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.ir.SampleGraphs.attrs;
import static dev.kiln.ir.SampleGraphs.t;
import static dev.kiln.ir.SampleGraphs.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IrPrinterTest {
    @Test
    void printsGraphWithNestedSubgraphs() {
        assertEquals("""
                graph @main(%x: f32[batch,3,8,8], %cond: bool[]) -> (%y: f32[2,48]) {
                  opsets {"test.kiln": 2}
                  const %shape: i64[2] = dense<[2, 48]>
                  %pooled: f32[batch,3,4,4] = test.kiln:Pool(%x) {kernel = [2, 2], stride = 2} name "pool"
                  %both: f32[batch,6,4,4] = test.kiln:Concat(%pooled, %pooled) {axis = 1} name "concat"
                  %flat: f32[2,48] = test.kiln:Reshape(%both, %shape) name "reshape"
                  %y: f32[2,48] = test.kiln:If(%cond) {
                    then_branch = graph @then() -> (%t: f32[2,48]) {
                      %t: f32[2,48] = test.kiln:Add(%flat, %flat) name "double"
                    },
                    else_branch = graph @else() -> (%flat: f32[2,48]) {
                    }
                  } name "choose"
                }
                """, IrPrinter.print(SampleGraphs.valid()));
    }

    @Test
    void quotesNamesThatAreNotIdentifiersAndSpellsOutAbsentValues() {
        Value in = v("input:0", t(DType.F32, "batch size", "?", 3));
        Value out = v("onnx::Relu_1", t(DType.F32, "batch size", "?", 3));
        Node n = new Node("layer/relu", "", "Relu", List.of(in, Value.ABSENT), List.of(out, Value.ABSENT), Map.of());
        Node keyword = new Node("", "my domain", "name", List.of(out), List.of(), Map.of());
        Map<String, Integer> opsets = new LinkedHashMap<>();
        opsets.put("", 17);
        opsets.put("my domain", 1);
        Graph g = new Graph("model.v2", List.of(in), List.of(out), List.of(n, keyword), Map.of(), opsets);
        assertEquals("""
                graph @model.v2(%"input:0": f32["batch size",?,3]) -> (%"onnx::Relu_1": f32["batch size",?,3]) {
                  opsets {"": 17, "my domain": 1}
                  %"onnx::Relu_1": f32["batch size",?,3], _ = Relu(%"input:0", _) name "layer/relu"
                  "my domain":"name"(%"onnx::Relu_1")
                }
                """, IrPrinter.print(g));
    }

    @Test
    void printsSmallConstantsInlineAndLargeOnesByHash() {
        Tensor large = Tensor.ofDoubles(DType.F32, new long[] {17}, new double[17]);
        Map<String, Tensor> constants = new LinkedHashMap<>();
        constants.put("w", large);
        constants.put("f", Tensor.ofFloats(new long[] {2, 3}, 0.1f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 1e-45f, 3.4028235e38f));
        constants.put("s", Tensor.ofStrings(new long[] {2}, "a\"b", "tab\there"));
        constants.put("b", Tensor.ofLongs(DType.BOOL, new long[0], 1));
        constants.put("e", Tensor.zeros(DType.I8, 0, 4));
        Graph g = new Graph("c", List.of(), List.of(), List.of(), constants, Map.of());
        assertEquals("""
                graph @c() -> () {
                  const %w: f32[17] = resource<sha256:HASH>
                  const %f: f32[2,3] = dense<[0.1, -0.0, nan, -inf, 1.4E-45, 3.4028235E38]>
                  const %s: string[2] = dense<["a\\"b", "tab\\there"]>
                  const %b: bool[] = dense<[true]>
                  const %e: i8[0,4] = dense<[]>
                }
                """.replace("HASH", large.contentHash()), IrPrinter.print(g));
    }

    @Test
    void printsEveryAttributeKind() {
        Map<String, Attribute> a = attrs(
                "f", Attribute.of(-0.0f), "i", Attribute.of(Long.MIN_VALUE), "s", Attribute.of("x\ny"),
                "t", Attribute.of(Tensor.ofLongs(DType.U64, new long[] {1}, -1L)),
                "ty", Attribute.of(new SequenceType(new OptionalType(new TensorType(DType.F16, Shape.UNKNOWN_RANK)))),
                "fs", Attribute.floats(1f, Float.intBitsToFloat(0x7fc00001)), "is", Attribute.ints(),
                "ss", Attribute.strings(List.of("a")), "ts", Attribute.tensors(List.of()), "tys", Attribute.types(List.of(t(DType.I4))),
                "gs", Attribute.graphs(List.of()));
        Graph g = new Graph("a", List.of(), List.of(), List.of(new Node("n", "", "Op", List.of(), List.of(), a)), Map.of(), Map.of());
        assertEquals("""
                graph @a() -> () {
                  Op() {f = -0.0, i = -9223372036854775808, s = "x\\ny", t = dense<[18446744073709551615]> : u64[1], \
                ty = type<seq<opt<f16[*]>>>, fs = [1.0, nan(0x7fc00001)], is = ints[], ss = ["a"], ts = tensors[], \
                tys = [type<i4[]>], gs = graphs[]} name "n"
                }
                """, IrPrinter.print(g));
    }

    @Test
    void annotatesUsesWhoseTypeDiffersFromTheDefinitionInScope() {
        Value x = v("x", t(DType.F32, 2));
        Value later = v("later", t(DType.F32, 2));
        Node early = new Node("", "", "Neg", List.of(later), List.of(v("y", t(DType.F32, 2))), Map.of());
        Node def = new Node("", "", "Neg", List.of(v("x", t(DType.F32, "n"))), List.of(later), Map.of());
        Graph g = new Graph("g", List.of(x), List.of(), List.of(early, def), Map.of(), Map.of());
        assertEquals("""
                graph @g(%x: f32[2]) -> () {
                  %y: f32[2] = Neg(%later: f32[2])
                  %later: f32[2] = Neg(%x: f32[n])
                }
                """, IrPrinter.print(g));
    }

    @Test
    void formatsTypes() {
        assertEquals("f32[1,batch,?]", IrPrinter.formatType(t(DType.F32, 1, "batch", "?")));
        assertEquals("i64[*]", IrPrinter.formatType(new TensorType(DType.I64, Shape.UNKNOWN_RANK)));
        assertEquals("opt<seq<bool[]>>", IrPrinter.formatType(new OptionalType(new SequenceType(t(DType.BOOL)))));
        assertEquals("f32[\"a b\",\"_\"]", IrPrinter.formatType(t(DType.F32, "a b", "_")));
    }
}
