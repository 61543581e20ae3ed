package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.TensorShapeProto;
import dev.kiln.frontend.onnx.proto.TypeProto;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/** Converts ONNX TypeProto to Kiln value types. */
final class OnnxTypes {
    private OnnxTypes() {}

    /** The element type with ONNX code {@code code}; {@code what} names the value for the error message. */
    static DType dtype(int code, String what) {
        try {
            return DType.fromOnnxCode(code);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(what + ": unknown element type code " + code);
        }
    }

    /** Whether the TypeProto says anything (value_info entries may leave the type out). */
    static boolean isDeclared(TypeProto type) {
        return type.getValueCase() != TypeProto.ValueCase.VALUE_NOT_SET;
    }

    /** The value type; {@code what} names the value for error messages. */
    static ValueType toValueType(TypeProto type, String what) {
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> {
                TypeProto.Tensor t = type.getTensorType();
                if (!t.hasElemType() || t.getElemType() == 0) throw new InvalidModelException(what + ": tensor type has no element type");
                yield new TensorType(dtype(t.getElemType(), what), t.hasShape() ? shape(t.getShape()) : Shape.UNKNOWN_RANK);
            }
            case SEQUENCE_TYPE -> {
                if (!type.getSequenceType().hasElemType()) throw new InvalidModelException(what + ": sequence type has no element type");
                yield new SequenceType(toValueType(type.getSequenceType().getElemType(), what));
            }
            case OPTIONAL_TYPE -> {
                if (!type.getOptionalType().hasElemType()) throw new InvalidModelException(what + ": optional type has no element type");
                yield new OptionalType(toValueType(type.getOptionalType().getElemType(), what));
            }
            case SPARSE_TENSOR_TYPE -> throw new InvalidModelException(what + ": sparse tensor values are not supported");
            case MAP_TYPE -> throw new InvalidModelException(what + ": map values are not supported");
            case VALUE_NOT_SET -> throw new InvalidModelException(what + ": has no type");
        };
    }

    /**
     * A declared shape. A negative {@code dim_value} is read as unknown: some exporters write -1 for "not known"
     * rather than leaving the dim empty.
     */
    static Shape shape(TensorShapeProto proto) {
        List<Dim> dims = new ArrayList<>(proto.getDimCount());
        for (TensorShapeProto.Dimension d : proto.getDimList()) {
            dims.add(switch (d.getValueCase()) {
                case DIM_VALUE -> d.getDimValue() < 0 ? Dim.UNKNOWN : Dim.of(d.getDimValue());
                case DIM_PARAM -> d.getDimParam().isEmpty() ? Dim.UNKNOWN : Dim.symbolic(d.getDimParam());
                case VALUE_NOT_SET -> Dim.UNKNOWN;
            });
        }
        return Shape.of(dims);
    }
}
