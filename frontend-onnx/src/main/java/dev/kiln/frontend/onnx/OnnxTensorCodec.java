package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.OptionalProto;
import dev.kiln.frontend.onnx.proto.SequenceProto;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;
import dev.kiln.runtime.spi.TensorCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ONNX's {@code .pb} value files: a serialized TensorProto, or a SequenceProto / OptionalProto where the expected
 * type is a sequence or optional (the file itself does not say which message it holds).
 */
public final class OnnxTensorCodec implements TensorCodec {
    @Override
    public String suffix() { return ".pb"; }

    @Override
    public RuntimeValue read(Path file, ValueType expected) {
        ExternalData external = new ExternalData(file.toAbsolutePath().getParent());
        String what = "value";
        try {
            return switch (expected) {
                case SequenceType s -> ValueProtos.toSequence(ProtoFiles.parse(file, SequenceProto.parser(), "ONNX SequenceProto"), s, external, what);
                case OptionalType o -> ValueProtos.toOptional(ProtoFiles.parse(file, OptionalProto.parser(), "ONNX OptionalProto"), o, external, what);
                case null, default -> TensorProtos.toTensor(ProtoFiles.parse(file, TensorProto.parser(), "ONNX TensorProto"), external, what);
            };
        } catch (InvalidModelException e) {
            throw new ImportException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Path file, RuntimeValue value) throws IOException {
        byte[] bytes = switch (value) {
            case Tensor t -> TensorProtos.toProto(t, null).toByteArray();
            case TensorSequence s -> ValueProtos.toProto(s).toByteArray();
            case OptionalValue o -> ValueProtos.toProto(o).toByteArray();
        };
        Files.write(file, bytes);
    }
}
