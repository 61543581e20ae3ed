package dev.kiln.ir.ops;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BodyInputTypesTest {
    private static Node node(String op, List<Value> inputs, Map<String, Attribute> attrs) {
        return new Node("n", "", op, inputs, List.of(), attrs);
    }

    @Test
    void loopPassesIterationConditionAndCarriedValues() {
        Value carried = new Value("c", TensorType.of(DType.F32, 3));
        Node loop = node("Loop", List.of(Value.ABSENT, Value.ABSENT, carried), Map.of());
        List<ValueType> expected = List.of(new TensorType(DType.I64, Shape.SCALAR), new TensorType(DType.BOOL, Shape.SCALAR),
                TensorType.of(DType.F32, 3));
        assertEquals(expected, BodyInputTypes.of(loop, "body", 13));
    }

    @Test
    void scanPassesStatesAndSlicesAlongTheScanAxis() {
        Node scan = node("Scan", List.of(new Value("s", TensorType.of(DType.F32, 2)), new Value("x", TensorType.of(DType.F16, 5, 7))),
                Map.of("num_scan_inputs", Attribute.of(1L), "scan_input_axes", Attribute.ints(-1)));
        assertEquals(List.of(TensorType.of(DType.F32, 2), TensorType.of(DType.F16, 5)), BodyInputTypes.of(scan, "body", 16));
        assertNull(BodyInputTypes.of(scan, "body", 8), "opset 8 Scan has a batch axis and is not handled");
    }

    @Test
    void sequenceMapPassesElements() {
        Node map = node("SequenceMap", List.of(new Value("s", new SequenceType(TensorType.of(DType.I32, 4))),
                new Value("t", TensorType.of(DType.I32, 1))), Map.of());
        assertEquals(List.of(TensorType.of(DType.I32, 4), TensorType.of(DType.I32, 1)), BodyInputTypes.of(map, "body", 17));
    }

    @Test
    void otherOpsTellNothing() {
        assertNull(BodyInputTypes.of(node("If", List.of(), Map.of()), "then_branch", 13));
    }
}
