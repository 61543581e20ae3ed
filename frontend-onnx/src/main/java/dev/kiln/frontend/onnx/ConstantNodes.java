package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.AttributeProto;
import dev.kiln.frontend.onnx.proto.NodeProto;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.nio.charset.StandardCharsets;

/** The value of an ONNX {@code Constant} node, in any of its attribute forms; the IR keeps it as a graph constant. */
final class ConstantNodes {
    private ConstantNodes() {}

    static boolean isConstant(NodeProto node) {
        String domain = node.getDomain();
        return node.getOpType().equals("Constant") && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    static Tensor value(NodeProto node, ExternalData external, String what) {
        if (node.getInputCount() != 0 || node.getOutputCount() != 1 || node.getOutput(0).isEmpty()) {
            throw new InvalidModelException(what + ": takes no inputs and has one output");
        }
        if (node.getAttributeCount() != 1) {
            throw new InvalidModelException(what + ": needs exactly one value attribute, got " + node.getAttributeCount());
        }
        AttributeProto a = node.getAttribute(0);
        String where = what + " attribute '" + a.getName() + "'";
        if (a.hasRefAttrName()) throw new InvalidModelException(where + ": refers to attribute '" + a.getRefAttrName() + "' outside a function");
        AttributeProto.AttributeType kind = AttributeConverter.kind(a, where);
        return switch (a.getName()) {
            case "value" -> { expect(kind, AttributeProto.AttributeType.TENSOR, where); yield TensorProtos.toTensor(a.getT(), external, where); }
            case "sparse_value" -> {
                expect(kind, AttributeProto.AttributeType.SPARSE_TENSOR, where);
                yield SparseTensors.toDense(a.getSparseTensor(), external, where);
            }
            case "value_float" -> { expect(kind, AttributeProto.AttributeType.FLOAT, where); yield Tensor.ofFloats(new long[0], a.getF()); }
            case "value_floats" -> {
                expect(kind, AttributeProto.AttributeType.FLOATS, where);
                float[] v = new float[a.getFloatsCount()];
                for (int i = 0; i < v.length; i++) v[i] = a.getFloats(i);
                yield Tensor.ofFloats(new long[] {v.length}, v);
            }
            case "value_int" -> { expect(kind, AttributeProto.AttributeType.INT, where); yield Tensor.ofLongs(DType.I64, new long[0], a.getI()); }
            case "value_ints" -> {
                expect(kind, AttributeProto.AttributeType.INTS, where);
                yield Tensor.ofLongs(DType.I64, new long[] {a.getIntsCount()}, a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            }
            case "value_string" -> {
                expect(kind, AttributeProto.AttributeType.STRING, where);
                yield Tensor.ofStrings(new long[0], a.getS().toString(StandardCharsets.UTF_8));
            }
            case "value_strings" -> {
                expect(kind, AttributeProto.AttributeType.STRINGS, where);
                yield Tensor.ofStrings(new long[] {a.getStringsCount()},
                        a.getStringsList().stream().map(s -> s.toString(StandardCharsets.UTF_8)).toArray(String[]::new));
            }
            default -> throw new InvalidModelException(where + ": not an attribute of Constant");
        };
    }

    private static void expect(AttributeProto.AttributeType actual, AttributeProto.AttributeType wanted, String where) {
        if (actual != wanted) throw new InvalidModelException(where + ": must be " + wanted + ", got " + actual);
    }
}
