package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlFlowKernelsTest {
    private static final TensorType I64 = new TensorType(DType.I64, Shape.SCALAR);
    private static final TensorType BOOL = new TensorType(DType.BOOL, Shape.SCALAR);
    private static final SequenceType I64_SEQ = new SequenceType(I64);

    private static Graph constantGraph(String name, double value) {
        Tensor c = Tensor.ofDoubles(DType.F32, new long[] {1}, value);
        return new Graph(name, List.of(), List.of(new Value(name + "_out", c.type())), List.of(),
                Map.of(name + "_out", c), Map.of("", 16));
    }

    private static Tensor bool(boolean b) { return Tensor.ofLongs(DType.BOOL, new long[0], b ? 1 : 0); }

    @Test
    void ifRunsTheChosenBranch() {
        OneNode node = OneNode.op("If").opset(16).attr("then_branch", Attribute.of(constantGraph("then", 1)))
                .attr("else_branch", Attribute.of(constantGraph("else", 2)));
        assertEquals(1, node.run(bool(true)).getDouble(0));
        assertEquals(2, node.run(bool(false)).getDouble(0));
    }

    /** Body: (i, cond, seq) -> (cond, SequenceInsert(seq, i), i). */
    private static Graph insertingBody() {
        Value i = new Value("i", I64), cond = new Value("cond", BOOL), seq = new Value("seq", I64_SEQ);
        Value seqOut = new Value("seq_out", I64_SEQ);
        Node insert = new Node("insert", "", "SequenceInsert", List.of(seq, i), List.of(seqOut), Map.of());
        return new Graph("body", List.of(i, cond, seq), List.of(cond, seqOut, i), List.of(insert), Map.of(), Map.of("", 16));
    }

    @Test
    void loopCarriesASequenceAndStacksScanOutputs() {
        TensorSequence empty = new TensorSequence(I64, List.of());
        Tensor trips = Tensor.ofLongs(DType.I64, new long[0], 3);
        List<RuntimeValue> out = OneNode.op("Loop").opset(16).outputs(2).attr("body", Attribute.of(insertingBody()))
                .runValues(trips, null, empty);
        TensorSequence seq = (TensorSequence) out.get(0);
        assertEquals(3, seq.elements().size());
        assertEquals(2, ((Tensor) seq.elements().get(2)).getLong(0));
        assertArrayEquals(new long[] {0, 1, 2}, ((Tensor) out.get(1)).toLongs());
    }

    @Test
    void loopWithFalseConditionRunsNoIteration() {
        TensorSequence empty = new TensorSequence(I64, List.of());
        List<RuntimeValue> out = OneNode.op("Loop").opset(16).outputs(2).attr("body", Attribute.of(insertingBody()))
                .runValues(Tensor.ofLongs(DType.I64, new long[0], 5), bool(false), empty);
        assertEquals(0, ((TensorSequence) out.get(0)).elements().size());
        assertArrayEquals(new long[] {0}, ((Tensor) out.get(1)).shape());
    }

    /** Body: (state, x) -> (x, x): the state ends as the last row seen, the scan output repeats the rows. */
    private static Graph passThroughBody() {
        TensorType row = TensorType.of(DType.F32, 2);
        Value state = new Value("state", row), x = new Value("x", row);
        return new Graph("body", List.of(state, x), List.of(x, x), List.of(), Map.of(), Map.of("", 9));
    }

    @Test
    void scanHonoursDirectionsAndOutputAxes() {
        Tensor init = Tensor.zeros(DType.F32, 2);
        Tensor xs = Tensor.ofDoubles(DType.F32, new long[] {3, 2}, 1, 2, 3, 4, 5, 6);
        List<RuntimeValue> out = OneNode.op("Scan").opset(11).outputs(2).attr("body", Attribute.of(passThroughBody()))
                .attr("num_scan_inputs", Attribute.of(1L)).attr("scan_input_directions", Attribute.ints(1))
                .attr("scan_output_axes", Attribute.ints(1)).runValues(init, xs);
        assertArrayEquals(new double[] {1, 2}, ((Tensor) out.get(0)).toDoubles());
        Tensor ys = (Tensor) out.get(1);
        assertArrayEquals(new long[] {2, 3}, ys.shape());
        assertArrayEquals(new double[] {5, 3, 1, 6, 4, 2}, ys.toDoubles());
    }

    @Test
    void scanOpset8HasABatchAxis() {
        Tensor init = Tensor.zeros(DType.F32, 1, 2);
        Tensor xs = Tensor.ofDoubles(DType.F32, new long[] {1, 3, 2}, 1, 2, 3, 4, 5, 6);
        List<RuntimeValue> out = OneNode.op("Scan").opset(8).outputs(2).attr("body", Attribute.of(passThroughBody()))
                .attr("num_scan_inputs", Attribute.of(1L)).runValues(null, init, xs);
        assertArrayEquals(new double[] {5, 6}, ((Tensor) out.get(0)).toDoubles());
        assertArrayEquals(new long[] {1, 3, 2}, ((Tensor) out.get(1)).shape());
    }

    @Test
    void ifBranchesMustAgreeOnOutputCount() {
        Graph two = new Graph("two", List.of(), List.of(), List.of(), Map.of(), Map.of("", 16));
        assertThrows(InferenceException.class, () -> OneNode.op("If").opset(16)
                .attr("then_branch", Attribute.of(constantGraph("then", 1))).attr("else_branch", Attribute.of(two)).run(bool(true)));
    }
}
