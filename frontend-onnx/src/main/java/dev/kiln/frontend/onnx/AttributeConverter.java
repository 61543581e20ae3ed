package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.AttributeProto;
import dev.kiln.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.SparseTensorProto;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.frontend.onnx.proto.TypeProto;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Converts one AttributeProto to an IR {@link Attribute}; sparse tensors become dense ones. */
final class AttributeConverter {
    /** Converts a subgraph attribute in the scope of the node that holds it. */
    interface Subgraphs {
        Graph convert(GraphProto graph, String what);
    }

    private final ExternalData external;
    private final Subgraphs subgraphs;

    AttributeConverter(ExternalData external, Subgraphs subgraphs) {
        this.external = external;
        this.subgraphs = subgraphs;
    }

    /** The attribute; {@code owner} names the node in error messages. */
    Attribute convert(AttributeProto a, String owner) {
        String what = owner + " attribute '" + a.getName() + "'";
        if (a.hasRefAttrName()) {
            throw new InvalidModelException(what + ": refers to attribute '" + a.getRefAttrName() + "' outside a function");
        }
        return switch (kind(a, what)) {
            case FLOAT -> Attribute.of(a.getF());
            case INT -> Attribute.of(a.getI());
            case STRING -> Attribute.of(a.getS().toString(StandardCharsets.UTF_8));
            case TENSOR -> Attribute.of(TensorProtos.toTensor(a.getT(), external, what));
            case SPARSE_TENSOR -> Attribute.of(SparseTensors.toDense(a.getSparseTensor(), external, what));
            case GRAPH -> Attribute.of(subgraphs.convert(a.getG(), what));
            case TYPE_PROTO -> Attribute.of(OnnxTypes.toValueType(a.getTp(), what));
            case FLOATS -> {
                float[] v = new float[a.getFloatsCount()];
                for (int i = 0; i < v.length; i++) v[i] = a.getFloats(i);
                yield Attribute.floats(v);
            }
            case INTS -> Attribute.ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case STRINGS -> Attribute.strings(a.getStringsList().stream().map(s -> s.toString(StandardCharsets.UTF_8)).toList());
            case TENSORS -> {
                List<Tensor> v = new ArrayList<>(a.getTensorsCount());
                for (TensorProto t : a.getTensorsList()) v.add(TensorProtos.toTensor(t, external, what));
                yield Attribute.tensors(v);
            }
            case SPARSE_TENSORS -> {
                List<Tensor> v = new ArrayList<>(a.getSparseTensorsCount());
                for (SparseTensorProto t : a.getSparseTensorsList()) v.add(SparseTensors.toDense(t, external, what));
                yield Attribute.tensors(v);
            }
            case GRAPHS -> {
                List<Graph> v = new ArrayList<>(a.getGraphsCount());
                for (GraphProto g : a.getGraphsList()) v.add(subgraphs.convert(g, what));
                yield Attribute.graphs(v);
            }
            case TYPE_PROTOS -> {
                List<ValueType> v = new ArrayList<>(a.getTypeProtosCount());
                for (TypeProto t : a.getTypeProtosList()) v.add(OnnxTypes.toValueType(t, what));
                yield Attribute.types(v);
            }
            case UNDEFINED -> throw new InvalidModelException(what + ": has no value");
        };
    }

    /** The attribute's kind; files from before IR version 2 leave {@code type} out, so it is read off the set field. */
    static AttributeType kind(AttributeProto a, String what) {
        if (a.hasType() && a.getType() != AttributeType.UNDEFINED) return a.getType();
        if (a.hasF()) return AttributeType.FLOAT;
        if (a.hasI()) return AttributeType.INT;
        if (a.hasS()) return AttributeType.STRING;
        if (a.hasT()) return AttributeType.TENSOR;
        if (a.hasG()) return AttributeType.GRAPH;
        if (a.hasSparseTensor()) return AttributeType.SPARSE_TENSOR;
        if (a.hasTp()) return AttributeType.TYPE_PROTO;
        if (a.getFloatsCount() > 0) return AttributeType.FLOATS;
        if (a.getIntsCount() > 0) return AttributeType.INTS;
        if (a.getStringsCount() > 0) return AttributeType.STRINGS;
        if (a.getTensorsCount() > 0) return AttributeType.TENSORS;
        if (a.getGraphsCount() > 0) return AttributeType.GRAPHS;
        if (a.getSparseTensorsCount() > 0) return AttributeType.SPARSE_TENSORS;
        if (a.getTypeProtosCount() > 0) return AttributeType.TYPE_PROTOS;
        throw new InvalidModelException(what + ": has no value");
    }
}
