package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlFlowOpsTest {
    private static final TensorType PLACEHOLDER = new TensorType(DType.F32, Shape.UNKNOWN_RANK);

    /** Loop(M = 3, no cond, x) whose body (i, cond, x) -> (cond, x, i) declares no input types. */
    private static Graph loopGraph(Graph body) {
        Value x = new Value("x", TensorType.of(DType.F32, 2));
        Value finalX = new Value("x_final", PLACEHOLDER), iterations = new Value("iterations", PLACEHOLDER);
        Node loop = new Node("loop", "", "Loop", List.of(new Value("m", PLACEHOLDER), Value.ABSENT, x),
                List.of(finalX, iterations), Map.of("body", Attribute.of(body)));
        return new Graph("main", List.of(x), List.of(finalX, iterations), List.of(loop),
                Map.of("m", Tensor.ofLongs(DType.I64, new long[0], 3)), Map.of("", 16));
    }

    private static Graph passThroughBody() {
        Value i = new Value("i", PLACEHOLDER), cond = new Value("cond", PLACEHOLDER), x = new Value("x_in", PLACEHOLDER);
        return new Graph("body", List.of(i, cond, x), List.of(cond, x, i), List.of(), Map.of(), Map.of("", 16));
    }

    @Test
    void loopTypesItsBodyInputsAndCountsStaticTrips() {
        Graph typed = GraphTyping.type(loopGraph(passThroughBody()), name -> null);
        Node loop = typed.nodes().getFirst();
        Graph body = loop.attribute("body").asGraph();
        assertEquals(new TensorType(DType.I64, Shape.SCALAR), body.inputs().get(0).type());
        assertEquals(new TensorType(DType.BOOL, Shape.SCALAR), body.inputs().get(1).type());
        assertEquals(TensorType.of(DType.F32, 2), loop.output(0).type());
        assertEquals(TensorType.of(DType.I64, 3), loop.output(1).type());
    }

    @Test
    void declaredBodyInputTypesWin() {
        Graph typed = GraphTyping.type(loopGraph(passThroughBody()),
                name -> name.equals("x_in") ? new TensorType(DType.F32, Shape.of(List.of(dev.kiln.ir.Dim.symbolic("n")))) : null);
        Graph body = typed.nodes().getFirst().attribute("body").asGraph();
        assertEquals(new TensorType(DType.F32, Shape.of(List.of(dev.kiln.ir.Dim.symbolic("n")))), body.inputs().get(2).type());
    }

    @Test
    void bodyInputCountMustMatch() {
        Graph body = new Graph("body", List.of(new Value("i", PLACEHOLDER)), List.of(), List.of(), Map.of(), Map.of("", 16));
        assertThrows(InferenceException.class, () -> GraphTyping.type(loopGraph(body), name -> null));
    }
}
