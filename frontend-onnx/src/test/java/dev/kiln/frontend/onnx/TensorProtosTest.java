package dev.kiln.frontend.onnx;

import com.google.protobuf.ByteString;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorProtosTest {
    private static final ExternalData NO_FILES = new ExternalData(null);

    private static TensorProto.Builder proto(DType dtype, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(dtype.onnxCode());
        for (long d : dims) b.addDims(d);
        return b;
    }

    private static Tensor convert(TensorProto.Builder b) { return TensorProtos.toTensor(b.build(), NO_FILES, "t"); }

    @Test
    void typedFieldsOfEveryKind() {
        assertArrayEquals(new double[] {1.5, -2}, convert(proto(DType.F32, 2).addFloatData(1.5f).addFloatData(-2)).toDoubles());
        assertArrayEquals(new double[] {0.25}, convert(proto(DType.F64, 1).addDoubleData(0.25)).toDoubles());
        assertArrayEquals(new long[] {-7, 1L << 40}, convert(proto(DType.I64, 2).addInt64Data(-7).addInt64Data(1L << 40)).toLongs());
        assertArrayEquals(new long[] {-3, 200}, convert(proto(DType.I16, 2).addInt32Data(-3).addInt32Data(200)).toLongs());
        assertArrayEquals(new long[] {255, 1}, convert(proto(DType.U8, 2).addInt32Data(255).addInt32Data(1)).toLongs());
        assertArrayEquals(new long[] {1, 0}, convert(proto(DType.BOOL, 2).addInt32Data(1).addInt32Data(0)).toLongs());
        assertArrayEquals(new long[] {4_000_000_000L}, convert(proto(DType.U32, 1).addUint64Data(4_000_000_000L)).toLongs());
        assertEquals(-1L, convert(proto(DType.U64, 1).addUint64Data(-1L)).getLong(0));
        assertArrayEquals(new String[] {"a", "é"},
                convert(proto(DType.STRING, 2).addStringData(ByteString.copyFromUtf8("a")).addStringData(ByteString.copyFromUtf8("é"))).toStrings());
    }

    @Test
    void halfFloatsAreBitPatternsInInt32Data() {
        assertEquals(1.0, convert(proto(DType.F16).addInt32Data(0x3C00)).getDouble(0));
        assertEquals(-2.0, convert(proto(DType.BF16).addInt32Data(0xC000)).getDouble(0));
        assertEquals(448.0, convert(proto(DType.F8E4M3FN).addInt32Data(0x7E)).getDouble(0));
    }

    @Test
    void complexNumbersArePairs() {
        Tensor c = convert(proto(DType.C64, 2).addFloatData(1).addFloatData(2).addFloatData(3).addFloatData(4));
        assertArrayEquals(new double[] {3, 4}, c.getComplex(1));
        Tensor raw = TensorProtos.toTensor(TensorProtos.toProto(c, "c"), NO_FILES, "t");
        assertTrue(raw.contentEquals(c));
    }

    @Test
    void subByteTypesArePackedLowBitsFirst() {
        // int4 [-1, 7, -8] packs as 0x7F, 0x08
        Tensor i4 = convert(proto(DType.I4, 3).setRawData(ByteString.copyFrom(new byte[] {0x7F, 0x08})));
        assertArrayEquals(new long[] {-1, 7, -8}, i4.toLongs());
        assertTrue(convert(proto(DType.I4, 3).addInt32Data(0x7F).addInt32Data(0x08)).contentEquals(i4));
        // uint2 [1, 2, 3, 0, 3] packs as 0b00111001, 0b00000011
        Tensor u2 = convert(proto(DType.U2, 5).setRawData(ByteString.copyFrom(new byte[] {0b00111001, 0b11})));
        assertArrayEquals(new long[] {1, 2, 3, 0, 3}, u2.toLongs());
        assertEquals(ByteString.copyFrom(new byte[] {0b00111001, 0b11}), TensorProtos.toProto(u2, null).getRawData());
    }

    @Test
    void rawDataRoundTrips() {
        Tensor t = Tensor.ofDoubles(DType.F16, new long[] {2, 2}, 1, 2.5, -3, 65504);
        TensorProto p = TensorProtos.toProto(t, "h");
        assertEquals("h", p.getName());
        assertEquals(8, p.getRawData().size());
        assertTrue(TensorProtos.toTensor(p, NO_FILES, "t").contentEquals(t));
    }

    @Test
    void emptyTensorsNeedNoData() {
        assertEquals(0, convert(proto(DType.F32, 0, 3)).size());
    }

    @Test
    void valueCountMustMatchTheShape() {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> convert(proto(DType.F32, 3).addFloatData(1)));
        assertEquals("t (f32[3]): float_data holds 1 values, the shape needs 3", e.getMessage());
    }
}
