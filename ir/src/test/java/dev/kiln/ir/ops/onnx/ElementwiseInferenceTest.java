package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ElementwiseInferenceTest {
    private static List<ValueType> infer(String op, int opset, Map<String, Attribute> attrs, int outputs, ValueType... inputs) {
        OpSchema schema = OpRegistry.standard().find("", op);
        List<Value> ins = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) ins.add(new Value("in" + i, inputs[i]));
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add(new Value("out" + i, TensorType.of(DType.F32)));
        Node node = new Node("n", "", op, ins, outs, attrs);
        return schema.inference().infer(new InferenceContext(node, schema, opset, name -> null, name -> null));
    }

    private static TensorType tensor(DType t, Dim... dims) { return new TensorType(t, Shape.of(List.of(dims))); }

    @Test
    void broadcastKeepsSymbolicDimsAndTakesStaticOnesOverThem() {
        ValueType a = tensor(DType.F32, Dim.symbolic("batch"), Dim.of(1), Dim.of(4));
        ValueType b = tensor(DType.F32, Dim.of(3), Dim.UNKNOWN);
        assertEquals("f32[batch,3,4]", infer("Add", 14, Map.of(), 1, a, b).getFirst().toString());
        assertEquals("bool[batch,3,4]", infer("Less", 13, Map.of(), 1, a, b).getFirst().toString());
    }

    @Test
    void unknownRankStaysUnknown() {
        ValueType a = new TensorType(DType.F32, Shape.UNKNOWN_RANK);
        assertEquals("f32[*]", infer("Mul", 14, Map.of(), 1, a, TensorType.of(DType.F32, 3)).getFirst().toString());
    }

    @Test
    void legacyBroadcastGivesAsShapeAndChecksTheAxis() {
        Map<String, Attribute> attrs = Map.of("broadcast", Attribute.of(1L), "axis", Attribute.of(1L));
        assertEquals("f32[2,3,4]", infer("Add", 6, attrs, 1, TensorType.of(DType.F32, 2, 3, 4), TensorType.of(DType.F32, 3)).getFirst().toString());
        InferenceException e = assertThrows(InferenceException.class,
                () -> infer("Add", 6, attrs, 1, TensorType.of(DType.F32, 2, 3, 4), TensorType.of(DType.F32, 4)));
        assertEquals("node 'n' (Add): B[4] does not broadcast onto A[2,3,4] at axis 1", e.getMessage());
    }

    @Test
    void castTakesItsTypeFromTo() {
        Map<String, Attribute> to = Map.of("to", Attribute.of((long) DType.F8E4M3FN.onnxCode()));
        assertEquals("f8e4m3fn[2]", infer("Cast", 21, to, 1, TensorType.of(DType.F32, 2)).getFirst().toString());
        Map<String, Attribute> legacy = Map.of("to", Attribute.of("int64"));
        assertEquals("i64[2]", infer("Cast", 1, legacy, 1, TensorType.of(DType.F32, 2)).getFirst().toString());
    }

    @Test
    void dropoutMaskIsBoolFromOpset10() {
        ValueType x = TensorType.of(DType.F16, 5);
        assertEquals("[f16[5], bool[5]]", infer("Dropout", 13, Map.of(), 2, x).toString());
        assertEquals("[f16[5], f16[5]]", infer("Dropout", 7, Map.of(), 2, x).toString());
    }

    @Test
    void identityPassesSequencesThrough() {
        ValueType seq = new SequenceType(TensorType.of(DType.I64, 2));
        assertEquals(seq, infer("Identity", 16, Map.of(), 1, seq).getFirst());
    }
}
