package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.AttributeProto;
import dev.kiln.frontend.onnx.proto.FunctionProto;
import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.ModelProto;
import dev.kiln.frontend.onnx.proto.OperatorSetIdProto;
import dev.kiln.frontend.onnx.proto.TypeProto;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kiln.frontend.onnx.Protos.*;
import static org.junit.jupiter.api.Assertions.*;

class OnnxImporterTest {
    @TempDir
    Path dir;

    private Graph load(GraphProto graph) { return OnnxImporter.importFile(write(dir, model(graph))); }

    @Test
    void importsTypesInputsConstantsAndOpsets() {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(f32("x", "batch", 3L))
                .addInput(f32("w", 3L))
                .addInitializer(f32s("w", new long[] {3}, 1, 2, 3))
                .addNode(testNode("Add", List.of("x", "w"), List.of("y")))
                .addNode(node("", "Constant", List.of(), List.of("c"),
                        tensorAttr("value", f32s("", new long[] {1}, 5))))
                .addNode(testNode("Add", List.of("y", "c"), List.of("z")).toBuilder().setName("last").build())
                .addOutput(f32("z", null, null))
                .build();
        Graph graph = load(g);

        assertEquals(List.of(new Value("x", new TensorType(DType.F32, Shape.of(List.of(Dim.symbolic("batch"), Dim.of(3)))))),
                graph.inputs(), "an initializer listed as input is a constant, not an input");
        assertEquals(List.of("w", "c"), List.copyOf(graph.constants().keySet()));
        assertArrayEquals(new float[] {1, 2, 3}, graph.constants().get("w").toFloats());
        assertEquals(Map.of("", 21, "test.kiln", 1), graph.opsets());
        assertEquals(2, graph.nodes().size(), "the Constant node became a constant");
        assertEquals("Add_0", graph.nodes().getFirst().name(), "unnamed nodes get <op>_<index>");
        assertEquals("last", graph.nodes().get(1).name());
        assertEquals("f32[batch,3]", graph.outputs().getFirst().type().toString(),
                "the declared [?,?] output keeps the more precise inferred dims");
        assertEquals("f32[batch,3]", graph.nodes().get(1).input(0).type().toString(), "node inputs carry inferred types");
    }

    @Test
    void constantInputsAreVisibleToInference() {
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 6L))
                .addInitializer(i64s("shape", 2, 3))
                .addNode(testNode("Reshape", List.of("x", "shape"), List.of("y")))
                .addOutput(f32AnyShape("y"))
                .build();
        assertEquals(TensorType.of(DType.F32, 2, 3), load(g).outputs().getFirst().type());
    }

    @Test
    void subgraphsReadOuterValuesAndAreTyped() {
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(f32("b_in", 4L))
                .addNode(testNode("Add", List.of("b_in", "outer"), List.of("b_out")))
                .addOutput(value("b_out", TypeProto.getDefaultInstance()))
                .build();
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 4L))
                .addNode(testNode("Identity", List.of("x"), List.of("outer")))
                .addNode(testNode("Apply", List.of("x"), List.of("y"), graphAttr("body", body)))
                .addOutput(f32AnyShape("y"))
                .build();
        Graph graph = load(g);
        Graph typedBody = graph.nodes().get(1).attribute("body").asGraph();
        assertEquals(TensorType.of(DType.F32, 4), typedBody.outputs().getFirst().type());
        assertEquals(TensorType.of(DType.F32, 4), graph.outputs().getFirst().type());
    }

    @Test
    void absentInputsAndSequenceTypes() {
        TypeProto seq = TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder()
                .setElemType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(7)))).build();
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2L))
                .addInput(value("s", seq))
                .addNode(testNode("Scale", List.of("x", ""), List.of("y")))
                .addNode(testNode("Identity", List.of("s"), List.of("t")))
                .addOutput(f32("y", 2L))
                .addOutput(value("t", seq))
                .build();
        Graph graph = load(g);
        assertTrue(graph.nodes().getFirst().input(1).isAbsent());
        assertEquals(new SequenceType(new TensorType(DType.I64, Shape.UNKNOWN_RANK)), graph.outputs().get(1).type());
    }

    @Test
    void declaredElementTypeMustAgreeWithInference() {
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2L))
                .addNode(testNode("Identity", List.of("x"), List.of("y")).toBuilder().setName("id").build())
                .addOutput(value("y", tensorType(7, 2L)))
                .build();
        ImportException e = assertThrows(ImportException.class, () -> load(g));
        assertTrue(e.getMessage().contains("node 'id' (test.kiln:Identity)") && e.getMessage().contains("i64[2]"), e.getMessage());
    }

    @Test
    void inferenceErrorsNameTheNode() {
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2L))
                .addInput(f32("y", 3L))
                .addNode(testNode("Add", List.of("x", "y"), List.of("z")).toBuilder().setName("plus").build())
                .addOutput(f32AnyShape("z"))
                .build();
        ImportException e = assertThrows(ImportException.class, () -> load(g));
        assertTrue(e.getMessage().startsWith(dir.resolve("model.onnx") + ": node 'plus' (test.kiln:Add)"), e.getMessage());
    }

    @Test
    void listsEveryUnsupportedOpAtOnce() {
        GraphProto body = GraphProto.newBuilder().addInput(f32("b", 1L))
                .addNode(node("ai.onnx.ml", "Bar", List.of("b"), List.of("c")).toBuilder().setName("n7").build())
                .addOutput(f32AnyShape("c"))
                .build();
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 1L))
                .addNode(node("", "Foo", List.of("x"), List.of("y")).toBuilder().setName("n1").build())
                .addNode(testNode("Apply", List.of("y"), List.of("z"), graphAttr("body", body)))
                .addOutput(f32AnyShape("z"))
                .build();
        ModelProto m = model(g).toBuilder()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3)).build();
        Path file = write(dir, m);
        UnsupportedOpsException e = assertThrows(UnsupportedOpsException.class, () -> OnnxImporter.importFile(file));
        assertEquals(file + ": 2 unsupported ops: node 'n1' (Foo, opset 21), node 'n7' (ai.onnx.ml:Bar, opset 3)", e.getMessage());
        assertEquals(List.of("Foo", "ai.onnx.ml:Bar"), e.ops());
    }

    @Test
    void inlinesModelLocalFunctionsWithAttributeReferences() {
        FunctionProto scaleTwice = FunctionProto.newBuilder().setDomain("my.fn").setName("ScaleTwice")
                .addInput("a").addOutput("b").addAttribute("factor")
                .addNode(testNode("Scale", List.of("a"), List.of("mid"),
                        AttributeProto.newBuilder().setName("alpha").setRefAttrName("factor")
                                .setType(AttributeProto.AttributeType.FLOAT).build()))
                .addNode(testNode("Scale", List.of("mid"), List.of("b"),
                        AttributeProto.newBuilder().setName("alpha").setRefAttrName("unset")
                                .setType(AttributeProto.AttributeType.FLOAT).build()))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(T).setVersion(1))
                .build();
        AttributeProto factor = AttributeProto.newBuilder().setName("factor").setType(AttributeProto.AttributeType.FLOAT).setF(3).build();
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2L))
                .addNode(node("my.fn", "ScaleTwice", List.of("x"), List.of("y"), factor).toBuilder().setName("call1").build())
                .addNode(node("my.fn", "ScaleTwice", List.of("y"), List.of("z"), factor).toBuilder().setName("call2").build())
                .addOutput(f32AnyShape("z"))
                .build();
        Graph graph = OnnxImporter.importFile(write(dir, model(g).toBuilder().addFunctions(scaleTwice).build()));

        List<Node> nodes = graph.nodes();
        assertEquals(4, nodes.size());
        assertEquals(List.of("Scale"), nodes.stream().map(Node::op).distinct().toList());
        assertEquals(3.0f, nodes.get(0).attribute("alpha").asFloat());
        assertFalse(nodes.get(1).hasAttribute("alpha"), "an unbound attribute reference leaves the attribute unset");
        assertEquals("x", nodes.get(0).input(0).name());
        assertEquals("y", nodes.get(1).output(0).name());
        assertEquals("z", nodes.get(3).output(0).name());
        assertNotEquals(nodes.get(0).output(0).name(), nodes.get(2).output(0).name(), "each expansion gets fresh names");
        assertEquals(TensorType.of(DType.F32, 2), graph.outputs().getFirst().type());
    }
}
