package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
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

class TrainingGradientOpsTest {
    private static List<ValueType> infer(List<String> xs, List<String> zs, int outputs, Map<String, ValueType> visible,
                                         ValueType... inputs) {
        OpSchema schema = OpRegistry.standard().find("ai.onnx.preview.training", "Gradient");
        List<Value> ins = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) ins.add(new Value("in" + i, inputs[i]));
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add(new Value("out" + i, TensorType.of(DType.F32)));
        Node node = new Node("g", "ai.onnx.preview.training", "Gradient", ins, outs,
                Map.of("xs", Attribute.strings(xs), "zs", Attribute.strings(zs), "y", Attribute.of("y")));
        return schema.inference().infer(new InferenceContext(node, schema, 1, name -> null, visible::get));
    }

    @Test
    void eachOutputHasTheTypeOfItsX() {
        ValueType w = new TensorType(DType.F32, Shape.of(List.of(Dim.symbolic("n"), Dim.of(3))));
        List<ValueType> types = infer(List.of("w", "b"), List.of("x"), 2, Map.of("w", w),
                TensorType.of(DType.F32, 4, 3), TensorType.of(DType.F64, 3), TensorType.of(DType.I64, 2));
        // w is visible by name; b is not (yet), so the value fed for it gives its type
        assertEquals(List.of(w, TensorType.of(DType.F64, 3)), types);
    }

    @Test
    void inputAndOutputCountsFollowXsAndZs() {
        InferenceException inputs = assertThrows(InferenceException.class,
                () -> infer(List.of("a"), List.of("z"), 1, Map.of(), TensorType.of(DType.F32)));
        assertEquals("node 'g' (ai.onnx.preview.training:Gradient): takes one input per name in xs and zs (2), got 1", inputs.getMessage());
        InferenceException outputs = assertThrows(InferenceException.class,
                () -> infer(List.of("a"), List.of(), 2, Map.of(), TensorType.of(DType.F32)));
        assertEquals("node 'g' (ai.onnx.preview.training:Gradient): has one output per name in xs (1), got 2", outputs.getMessage());
    }

    @Test
    void onlyFloatingPointValuesAreDifferentiated() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> infer(List.of("a"), List.of(), 1, Map.of(), TensorType.of(DType.I32, 2)));
        assertEquals("node 'g' (ai.onnx.preview.training:Gradient): can only differentiate with respect to floating-point"
                + " tensors, 'a' is i32", e.getMessage());
    }
}
