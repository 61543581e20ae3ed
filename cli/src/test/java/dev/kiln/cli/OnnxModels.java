package dev.kiln.cli;

import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.ModelProto;
import dev.kiln.frontend.onnx.proto.NodeProto;
import dev.kiln.frontend.onnx.proto.OperatorSetIdProto;
import dev.kiln.frontend.onnx.proto.TensorShapeProto;
import dev.kiln.frontend.onnx.proto.TypeProto;
import dev.kiln.frontend.onnx.proto.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test support: real one-node ONNX files (f32[3] in, f32[3] out) for end-to-end runs through the ONNX importer. */
final class OnnxModels {
    private OnnxModels() {}

    /** Writes a model of one default-domain {@code op} node from input {@code x} to output {@code y}, opset 21. */
    static Path oneNode(Path file, String op) throws IOException {
        GraphProto graph = GraphProto.newBuilder().setName(op.toLowerCase())
                .addInput(f32x3("x"))
                .addNode(NodeProto.newBuilder().setName("n0").setOpType(op).addInput("x").addOutput("y"))
                .addOutput(f32x3("y"))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(10).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21)).build();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, model.toByteArray());
        return file;
    }

    private static ValueInfoProto f32x3(String name) {
        TensorShapeProto shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3)).build();
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
