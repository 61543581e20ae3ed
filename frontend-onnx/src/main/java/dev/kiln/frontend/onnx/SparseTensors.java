package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.SparseTensorProto;
import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns ONNX sparse tensors (COO: values plus indices) into dense tensors, since the IR holds dense ones only. */
final class SparseTensors {
    private SparseTensors() {}

    static Tensor toDense(SparseTensorProto proto, ExternalData external, String what) {
        long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int size;
        try {
            size = Tensor.checkedSize(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidModelException(what + ": bad sparse shape " + Shape.format(shape) + " (" + e.getMessage() + ")");
        }
        Tensor values = TensorProtos.toTensor(proto.getValues(), external, what + " values");
        Tensor indices = TensorProtos.toTensor(proto.getIndices(), external, what + " indices");
        if (values.rank() != 1) throw new InvalidModelException(what + ": sparse values must be 1-D, got " + values.type());
        int nnz = values.size();
        boolean linear = indices.rank() == 1;
        boolean perAxis = indices.rank() == 2 && indices.dim(1) == shape.length;
        if (indices.dtype() != DType.I64 || !(linear || perAxis) || indices.dim(0) != nnz) {
            throw new InvalidModelException(what + ": sparse indices must be i64[" + nnz + "] or i64[" + nnz + "," + shape.length
                    + "], got " + indices.type());
        }
        boolean strings = values.dtype() == DType.STRING;
        int w = strings ? 0 : elementWidth(values.dtype());
        Tensor dense = strings ? Tensor.zeros(DType.STRING, shape) : null;
        ByteBuffer storage = strings ? null : ByteBuffer.allocate(Math.multiplyExact(size, w)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer source = values.data();
        for (int k = 0; k < nnz; k++) {
            long at = linear ? indices.getLong(k) : flatIndex(indices, k, shape, what);
            if (at < 0 || at >= size) throw new InvalidModelException(what + ": sparse index " + at + " is outside the shape " + Shape.format(shape));
            if (strings) {
                dense.setString((int) at, values.getString(k));
            } else {
                for (int b = 0; b < w; b++) storage.put((int) at * w + b, source.get(k * w + b));
            }
        }
        return strings ? dense : Tensor.fromStorage(values.dtype(), shape, storage);
    }

    private static int elementWidth(DType dtype) {
        return dtype.kind() == DType.Kind.COMPLEX ? dtype.bits() / 8 : dtype.storageBytes();
    }

    private static long flatIndex(Tensor indices, int k, long[] shape, String what) {
        long flat = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            long i = indices.getLong(k * shape.length + axis);
            if (i < 0 || i >= shape[axis]) {
                throw new InvalidModelException(what + ": sparse index " + i + " on axis " + axis + " is outside the shape " + Shape.format(shape));
            }
            flat = flat * shape[axis] + i;
        }
        return flat;
    }
}
