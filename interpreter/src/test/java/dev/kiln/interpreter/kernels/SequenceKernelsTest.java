package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceKernelsTest {
    private static Tensor f(double... v) { return Tensor.ofDoubles(DType.F32, new long[] {v.length}, v); }

    private static Tensor pos(long p) { return Tensor.ofLongs(DType.I64, new long[0], p); }

    private static TensorSequence seq(RuntimeValue v) { return (TensorSequence) v; }

    @Test
    void constructInsertAtEraseLength() {
        TensorSequence s = seq(OneNode.op("SequenceConstruct").opset(11).runValues(f(1), f(2)).getFirst());
        s = seq(OneNode.op("SequenceInsert").opset(11).runValues(s, f(0), pos(0)).getFirst());
        assertEquals(0, ((Tensor) OneNode.op("SequenceAt").opset(11).run(s, pos(-3))).getDouble(0));
        s = seq(OneNode.op("SequenceErase").opset(11).runValues(s).getFirst());
        assertEquals(2, OneNode.op("SequenceLength").opset(11).run(s).getLong(0));
        assertEquals(1, OneNode.op("SequenceAt").opset(11).run(s, pos(1)).getDouble(0));
    }

    @Test
    void splitAndConcatRoundTrip() {
        Tensor x = Tensor.ofDoubles(DType.F32, new long[] {5, 2}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        TensorSequence parts = seq(OneNode.op("SplitToSequence").opset(11).runValues(x, pos(2)).getFirst());
        assertEquals(3, parts.elements().size());
        assertArrayEquals(new long[] {1, 2}, ((Tensor) parts.elements().get(2)).shape());
        Tensor back = OneNode.op("ConcatFromSequence").opset(11).attr("axis", Attribute.of(0L)).run(parts);
        assertArrayEquals(x.toDoubles(), back.toDoubles());
        TensorSequence rows = seq(OneNode.op("SplitToSequence").opset(11).attr("keepdims", Attribute.of(0L)).runValues(x).getFirst());
        Tensor stacked = OneNode.op("ConcatFromSequence").opset(11).attr("axis", Attribute.of(1L))
                .attr("new_axis", Attribute.of(1L)).run(rows);
        assertArrayEquals(new long[] {2, 5}, stacked.shape());
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 1, 3, 5, 7, 9}, stacked.toDoubles());
    }

    @Test
    void sequenceMapRunsTheBodyPerElement() {
        TensorType any = new TensorType(DType.F32, Shape.unknownDims(1));
        Value x = new Value("x", any), y = new Value("y", any);
        Graph body = new Graph("body", List.of(x), List.of(y),
                List.of(new Node("glu", "", "SwiGLU", List.of(x, x), List.of(y), Map.of())), Map.of(), Map.of("", 28));
        TensorSequence in = new TensorSequence(any, List.of(f(0), f(0, 0, 0)));
        TensorSequence out = seq(OneNode.op("SequenceMap").opset(28).attr("body", Attribute.of(body)).runValues(in).getFirst());
        assertArrayEquals(new long[] {3}, ((Tensor) out.elements().get(1)).shape());
    }

    @Test
    void optionalsWrapAndUnwrap() {
        OptionalValue some = (OptionalValue) OneNode.op("Optional").opset(18).runValues(f(4)).getFirst();
        OptionalValue none = (OptionalValue) OneNode.op("Optional").opset(18)
                .attr("type", Attribute.of(TensorType.of(DType.F32, 1))).runValues().getFirst();
        assertTrue(OneNode.op("OptionalHasElement").opset(18).run(some).getBoolean(0));
        assertFalse(OneNode.op("OptionalHasElement").opset(18).run(none).getBoolean(0));
        assertFalse(OneNode.op("OptionalHasElement").opset(18).run((RuntimeValue) null).getBoolean(0));
        assertEquals(4, OneNode.op("OptionalGetElement").opset(18).run(some).getDouble(0));
        assertThrows(KilnException.class, () -> OneNode.op("OptionalGetElement").opset(18).run(none));
    }

    @Test
    void positionOutOfRangeFails() {
        TensorSequence s = seq(OneNode.op("SequenceConstruct").opset(11).runValues(f(1)).getFirst());
        assertThrows(KilnException.class, () -> OneNode.op("SequenceAt").opset(11).run(s, pos(1)));
    }
}
