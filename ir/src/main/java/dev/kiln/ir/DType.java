package dev.kiln.ir;

import java.util.Locale;

/**
 * Element types. The ONNX code of each is a fact of the ONNX format (TensorProto.DataType), kept here so that
 * the IR, the importer and tensor files agree on one numbering.
 */
public enum DType {
    F32("f32", 1, 32, Kind.FLOAT),
    U8("u8", 2, 8, Kind.UNSIGNED),
    I8("i8", 3, 8, Kind.SIGNED),
    U16("u16", 4, 16, Kind.UNSIGNED),
    I16("i16", 5, 16, Kind.SIGNED),
    I32("i32", 6, 32, Kind.SIGNED),
    I64("i64", 7, 64, Kind.SIGNED),
    STRING("string", 8, 0, Kind.STRING),
    BOOL("bool", 9, 8, Kind.BOOL),
    F16("f16", 10, 16, Kind.FLOAT),
    F64("f64", 11, 64, Kind.FLOAT),
    U32("u32", 12, 32, Kind.UNSIGNED),
    U64("u64", 13, 64, Kind.UNSIGNED),
    C64("c64", 14, 64, Kind.COMPLEX),
    C128("c128", 15, 128, Kind.COMPLEX),
    BF16("bf16", 16, 16, Kind.FLOAT),
    F8E4M3FN("f8e4m3fn", 17, 8, Kind.FLOAT),
    F8E4M3FNUZ("f8e4m3fnuz", 18, 8, Kind.FLOAT),
    F8E5M2("f8e5m2", 19, 8, Kind.FLOAT),
    F8E5M2FNUZ("f8e5m2fnuz", 20, 8, Kind.FLOAT),
    U4("u4", 21, 4, Kind.UNSIGNED),
    I4("i4", 22, 4, Kind.SIGNED),
    F4E2M1("f4e2m1", 23, 4, Kind.FLOAT),
    F8E8M0("f8e8m0", 24, 8, Kind.FLOAT),
    U2("u2", 25, 2, Kind.UNSIGNED),
    I2("i2", 26, 2, Kind.SIGNED);

    /** How a value of the type is read and written in arithmetic. */
    public enum Kind { FLOAT, SIGNED, UNSIGNED, BOOL, STRING, COMPLEX }

    private final String shortName;
    private final int onnxCode;
    private final int bits;
    private final Kind kind;

    DType(String shortName, int onnxCode, int bits, Kind kind) {
        this.shortName = shortName;
        this.onnxCode = onnxCode;
        this.bits = bits;
        this.kind = kind;
    }

    /** The name used in IR text, JSON and error messages, e.g. {@code f32}. */
    public String shortName() { return shortName; }

    public int onnxCode() { return onnxCode; }

    /** Bits of one element in the packed (file) form; 0 for strings. */
    public int bits() { return bits; }

    public Kind kind() { return kind; }

    public boolean isFloat() { return kind == Kind.FLOAT; }

    public boolean isInteger() { return kind == Kind.SIGNED || kind == Kind.UNSIGNED; }

    public boolean isSigned() { return kind == Kind.SIGNED || kind == Kind.FLOAT; }

    /** Sub-byte types (4- and 2-bit) are packed in files but kept one element per byte in memory. */
    public boolean isSubByte() { return bits > 0 && bits < 8; }

    /** Bytes of one element in a {@link dev.kiln.ir.tensor.Tensor}'s storage. */
    public int storageBytes() { return kind == Kind.STRING ? 0 : Math.max(1, bits / 8); }

    public static DType fromShortName(String name) {
        for (DType t : values()) {
            if (t.shortName.equals(name)) return t;
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'");
    }

    public static DType fromOnnxCode(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) return t;
        }
        throw new IllegalArgumentException("unknown ONNX data type code " + code);
    }

    @Override
    public String toString() { return shortName.toLowerCase(Locale.ROOT); }
}
