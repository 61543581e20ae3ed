package dev.kiln.bench.onnxruntime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Copies tensors between Kiln (little-endian storage) and ONNX Runtime (native order, the same on x86 and ARM). */
final class OrtTensors {
    private OrtTensors() {}

    static OnnxTensor toOrt(OrtEnvironment env, String name, Tensor tensor) throws OrtException {
        OnnxJavaType type = javaType(tensor.dtype(), name);
        ByteBuffer source = tensor.data();
        ByteBuffer direct = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        direct.put(source.order(ByteOrder.nativeOrder())).flip();
        return OnnxTensor.createTensor(env, direct, tensor.shape(), type);
    }

    static Tensor toKiln(String name, OnnxTensor tensor) {
        TensorInfo info = tensor.getInfo();
        DType dtype = dtype(info.type, name);
        ByteBuffer bytes = tensor.getByteBuffer();
        if (bytes == null) throw new KilnException("onnxruntime output '" + name + "' of type " + info.type + " has no byte view");
        ByteBuffer storage = ByteBuffer.allocate(bytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        storage.put(bytes.order(ByteOrder.LITTLE_ENDIAN)).flip();
        return Tensor.fromStorage(dtype, info.getShape(), storage);
    }

    private static OnnxJavaType javaType(DType dtype, String name) {
        return switch (dtype) {
            case F32 -> OnnxJavaType.FLOAT;
            case F64 -> OnnxJavaType.DOUBLE;
            case F16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
            case I8 -> OnnxJavaType.INT8;
            case U8 -> OnnxJavaType.UINT8;
            case I16 -> OnnxJavaType.INT16;
            case I32 -> OnnxJavaType.INT32;
            case I64 -> OnnxJavaType.INT64;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new KilnException("input '" + name + "': " + dtype + " tensors cannot be passed to onnxruntime's Java API");
        };
    }

    private static DType dtype(OnnxJavaType type, String name) {
        return switch (type) {
            case FLOAT -> DType.F32;
            case DOUBLE -> DType.F64;
            case FLOAT16 -> DType.F16;
            case BFLOAT16 -> DType.BF16;
            case INT8 -> DType.I8;
            case UINT8 -> DType.U8;
            case INT16 -> DType.I16;
            case INT32 -> DType.I32;
            case INT64 -> DType.I64;
            case BOOL -> DType.BOOL;
            default -> throw new KilnException("onnxruntime output '" + name + "' has type " + type + ", which the comparison cannot read");
        };
    }
}
