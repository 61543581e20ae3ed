package dev.kiln.frontend.onnx;

import com.google.protobuf.ByteString;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Converts ONNX TensorProto to {@link Tensor} and back. Sizes are checked against the shape before anything is
 * allocated, so a file that declares more data than it holds fails with a message rather than exhausting memory.
 */
final class TensorProtos {
    private TensorProtos() {}

    /** The tensor; {@code what} names it in errors (e.g. {@code initializer 'w'}); external data is read through {@code external}. */
    static Tensor toTensor(TensorProto proto, ExternalData external, String what) {
        DType dtype = OnnxTypes.dtype(proto.getDataType(), what);
        long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int n;
        try {
            n = Tensor.checkedSize(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidModelException(what + ": bad shape " + Shape.format(shape) + " (" + e.getMessage() + ")");
        }
        String where = what + " (" + dtype + Shape.format(shape) + ")";
        if (proto.hasSegment()) throw new InvalidModelException(where + ": segmented tensors are not supported");
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            if (dtype == DType.STRING) throw new InvalidModelException(where + ": string tensors cannot be stored externally");
            return fromPacked(dtype, shape, n, external.read(proto, packedBytes(dtype, n), where));
        }
        if (dtype == DType.STRING) return strings(proto, shape, n, where);
        if (proto.hasRawData()) {
            ByteString raw = proto.getRawData();
            long expected = packedBytes(dtype, n);
            if (raw.size() != expected) {
                throw new InvalidModelException(where + ": raw_data has " + raw.size() + " bytes, the shape needs " + expected);
            }
            return fromPacked(dtype, shape, n, raw.asReadOnlyByteBuffer());
        }
        return fromTypedField(proto, dtype, shape, n, where);
    }

    /** Bytes of {@code n} elements as files store them: sub-byte types packed, complex as two floats. */
    static long packedBytes(DType dtype, int n) {
        if (dtype.isSubByte()) return ((long) n * dtype.bits() + 7) / 8;
        return (long) n * storedElementBytes(dtype);
    }

    private static int storedElementBytes(DType dtype) {
        return dtype.kind() == DType.Kind.COMPLEX ? dtype.bits() / 8 : dtype.storageBytes();
    }

    /** A tensor from little-endian packed bytes (sub-byte elements first in the low bits). */
    static Tensor fromPacked(DType dtype, long[] shape, int n, ByteBuffer packed) {
        if (!dtype.isSubByte()) return Tensor.fromStorage(dtype, shape, packed);
        int bits = dtype.bits();
        int mask = (1 << bits) - 1;
        byte[] unpacked = new byte[n];
        for (int i = 0; i < n; i++) {
            int bitOffset = i * bits;
            int v = (packed.get(packed.position() + bitOffset / 8) >> (bitOffset % 8)) & mask;
            if (dtype.kind() == DType.Kind.SIGNED) v = (v << (32 - bits)) >> (32 - bits);
            unpacked[i] = (byte) v;
        }
        return Tensor.fromStorage(dtype, shape, ByteBuffer.wrap(unpacked));
    }

    private static Tensor strings(TensorProto proto, long[] shape, int n, String where) {
        if (proto.hasRawData()) throw new InvalidModelException(where + ": string tensors must use string_data, not raw_data");
        checkCount(proto.getStringDataCount(), n, "string_data", where);
        String[] values = new String[n];
        for (int i = 0; i < n; i++) values[i] = proto.getStringData(i).toString(StandardCharsets.UTF_8);
        return Tensor.ofStrings(shape, values);
    }

    private static Tensor fromTypedField(TensorProto p, DType dtype, long[] shape, int n, String where) {
        ByteBuffer buf;
        switch (dtype) {
            case F32, C64 -> {
                int count = dtype == DType.C64 ? 2 * n : n;
                checkCount(p.getFloatDataCount(), count, "float_data", where);
                buf = allocate((long) count * 4);
                for (int i = 0; i < count; i++) buf.putFloat(p.getFloatData(i));
            }
            case F64, C128 -> {
                int count = dtype == DType.C128 ? 2 * n : n;
                checkCount(p.getDoubleDataCount(), count, "double_data", where);
                buf = allocate((long) count * 8);
                for (int i = 0; i < count; i++) buf.putDouble(p.getDoubleData(i));
            }
            case I64 -> {
                checkCount(p.getInt64DataCount(), n, "int64_data", where);
                buf = allocate((long) n * 8);
                for (int i = 0; i < n; i++) buf.putLong(p.getInt64Data(i));
            }
            case U32, U64 -> {
                checkCount(p.getUint64DataCount(), n, "uint64_data", where);
                buf = allocate((long) n * dtype.storageBytes());
                for (int i = 0; i < n; i++) {
                    if (dtype == DType.U32) buf.putInt((int) p.getUint64Data(i));
                    else buf.putLong(p.getUint64Data(i));
                }
            }
            default -> {
                // int32_data: narrow integers, bool, and the bit patterns of 16- and 8-bit floats; sub-byte types
                // hold one packed byte per entry.
                long count = dtype.isSubByte() ? packedBytes(dtype, n) : n;
                checkCount(p.getInt32DataCount(), count, "int32_data", where);
                int width = dtype.isSubByte() ? 1 : dtype.storageBytes();
                buf = allocate(count * width);
                for (int i = 0; i < count; i++) {
                    int v = p.getInt32Data(i);
                    switch (width) {
                        case 1 -> buf.put((byte) v);
                        case 2 -> buf.putShort((short) v);
                        default -> buf.putInt(v);
                    }
                }
            }
        }
        return fromPacked(dtype, shape, n, buf.flip());
    }

    private static ByteBuffer allocate(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkCount(long actual, long expected, String field, String where) {
        if (actual != expected) {
            throw new InvalidModelException(where + ": " + field + " holds " + actual + " values, the shape needs " + expected);
        }
    }

    /** The TensorProto of a tensor: numbers in raw_data (sub-byte types packed), strings in string_data. */
    static TensorProto toProto(Tensor tensor, String name) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(tensor.dtype().onnxCode());
        if (name != null) b.setName(name);
        for (long d : tensor.shape()) b.addDims(d);
        if (tensor.dtype() == DType.STRING) {
            for (String s : tensor.toStrings()) b.addStringData(ByteString.copyFromUtf8(s));
        } else if (tensor.dtype().isSubByte()) {
            b.setRawData(ByteString.copyFrom(pack(tensor)));
        } else {
            b.setRawData(ByteString.copyFrom(tensor.data()));
        }
        return b.build();
    }

    private static byte[] pack(Tensor tensor) {
        int bits = tensor.dtype().bits();
        int mask = (1 << bits) - 1;
        ByteBuffer data = tensor.data();
        byte[] packed = new byte[(int) packedBytes(tensor.dtype(), tensor.size())];
        for (int i = 0; i < tensor.size(); i++) {
            int bitOffset = i * bits;
            packed[bitOffset / 8] |= (byte) ((data.get(i) & mask) << (bitOffset % 8));
        }
        return packed;
    }
}
