package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.OptionalProto;
import dev.kiln.frontend.onnx.proto.SequenceProto;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;

import java.util.ArrayList;
import java.util.List;

/** Converts ONNX SequenceProto and OptionalProto (onnx-data.proto) to runtime values and back. */
final class ValueProtos {
    private ValueProtos() {}

    /** ONNX's element-kind codes, shared by SequenceProto.DataType and OptionalProto.DataType. */
    private static final int UNDEFINED = 0;
    private static final int TENSOR = 1;
    private static final int SEQUENCE = 3;
    private static final int OPTIONAL = 5;

    static TensorSequence toSequence(SequenceProto proto, SequenceType type, ExternalData external, String what) {
        List<RuntimeValue> elements = new ArrayList<>();
        switch (proto.getElemType()) {
            case TENSOR -> {
                for (TensorProto t : proto.getTensorValuesList()) elements.add(TensorProtos.toTensor(t, external, what + " element"));
            }
            case SEQUENCE -> {
                SequenceType inner = expect(type.element(), SequenceType.class, what);
                for (SequenceProto s : proto.getSequenceValuesList()) elements.add(toSequence(s, inner, external, what + " element"));
            }
            case OPTIONAL -> {
                OptionalType inner = expect(type.element(), OptionalType.class, what);
                for (OptionalProto o : proto.getOptionalValuesList()) elements.add(toOptional(o, inner, external, what + " element"));
            }
            case UNDEFINED -> {
                if (proto.getTensorValuesCount() + proto.getSequenceValuesCount() + proto.getOptionalValuesCount() > 0) {
                    throw new InvalidModelException(what + ": sequence has values but no element type");
                }
            }
            default -> throw new InvalidModelException(what + ": sequences of element kind " + proto.getElemType() + " are not supported");
        }
        return new TensorSequence(type.element(), elements);
    }

    static OptionalValue toOptional(OptionalProto proto, OptionalType type, ExternalData external, String what) {
        RuntimeValue element = switch (proto.getElemType()) {
            case UNDEFINED -> null;
            case TENSOR -> proto.hasTensorValue() ? TensorProtos.toTensor(proto.getTensorValue(), external, what) : null;
            case SEQUENCE -> proto.hasSequenceValue()
                    ? toSequence(proto.getSequenceValue(), expect(type.element(), SequenceType.class, what), external, what) : null;
            case OPTIONAL -> proto.hasOptionalValue()
                    ? toOptional(proto.getOptionalValue(), expect(type.element(), OptionalType.class, what), external, what) : null;
            default -> throw new InvalidModelException(what + ": optionals of element kind " + proto.getElemType() + " are not supported");
        };
        return new OptionalValue(type.element(), element);
    }

    private static <T extends ValueType> T expect(ValueType type, Class<T> wanted, String what) {
        if (wanted.isInstance(type)) return wanted.cast(type);
        throw new InvalidModelException(what + ": holds a " + wanted.getSimpleName() + " where " + type + " is expected");
    }

    static SequenceProto toProto(TensorSequence sequence) {
        SequenceProto.Builder b = SequenceProto.newBuilder().setElemType(kind(sequence.elementType()));
        for (RuntimeValue v : sequence.elements()) {
            switch (v) {
                case Tensor t -> b.addTensorValues(TensorProtos.toProto(t, null));
                case TensorSequence s -> b.addSequenceValues(toProto(s));
                case OptionalValue o -> b.addOptionalValues(toProto(o));
            }
        }
        return b.build();
    }

    static OptionalProto toProto(OptionalValue optional) {
        OptionalProto.Builder b = OptionalProto.newBuilder().setElemType(kind(optional.elementType()));
        switch (optional.element()) {
            case null -> { }
            case Tensor t -> b.setTensorValue(TensorProtos.toProto(t, null));
            case TensorSequence s -> b.setSequenceValue(toProto(s));
            case OptionalValue o -> b.setOptionalValue(toProto(o));
        }
        return b.build();
    }

    private static int kind(ValueType type) {
        return switch (type) {
            case TensorType t -> TENSOR;
            case SequenceType s -> SEQUENCE;
            case OptionalType o -> OPTIONAL;
        };
    }
}
