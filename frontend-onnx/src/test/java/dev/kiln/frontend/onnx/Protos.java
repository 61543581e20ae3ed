package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.AttributeProto;
import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.ModelProto;
import dev.kiln.frontend.onnx.proto.NodeProto;
import dev.kiln.frontend.onnx.proto.OperatorSetIdProto;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.frontend.onnx.proto.TensorShapeProto;
import dev.kiln.frontend.onnx.proto.TypeProto;
import dev.kiln.frontend.onnx.proto.ValueInfoProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builders for small ONNX models in tests. Dims: a Long is static, a String symbolic, null unknown. */
final class Protos {
    private Protos() {}

    static final String T = TestOps.DOMAIN;

    static TypeProto tensorType(int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) b.setDimValue(n.longValue());
            else if (d instanceof String s) b.setDimParam(s);
            shape.addDim(b);
        }
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)).build();
    }

    static ValueInfoProto value(String name, TypeProto type) {
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    static ValueInfoProto f32(String name, Object... dims) { return value(name, tensorType(1, dims)); }

    /** An f32 value whose shape is not stated. */
    static ValueInfoProto f32AnyShape(String name) {
        return value(name, TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)).build());
    }

    static NodeProto node(String domain, String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return NodeProto.newBuilder().setDomain(domain).setOpType(op).addAllInput(inputs).addAllOutput(outputs)
                .addAllAttribute(List.of(attrs)).build();
    }

    static NodeProto testNode(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return node(T, op, inputs, outputs, attrs);
    }

    static AttributeProto graphAttr(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
    }

    static AttributeProto tensorAttr(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    static TensorProto i64s(String name, long... values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length);
        for (long v : values) b.addInt64Data(v);
        return b.build();
    }

    static TensorProto f32s(String name, long[] dims, float... values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims) b.addDims(d);
        for (float v : values) b.addFloatData(v);
        return b.build();
    }

    static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(10).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(T).setVersion(1)).build();
    }

    static Path write(Path dir, ModelProto model) {
        try {
            Path file = dir.resolve("model.onnx");
            Files.write(file, model.toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
