package dev.kiln.ir.tensor;

import dev.kiln.ir.DType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A dense tensor with a concrete shape. Numeric data lives in a little-endian byte buffer, one element per
 * {@link DType#storageBytes()} (sub-byte types unpacked to one byte per element, complex as (re, im) pairs);
 * strings live in a {@code String[]}. Element access converts through {@code double} (floats) or {@code long}
 * (integers, bool), which is what the reference backend needs; fast backends read {@link #data()} directly.
 * A tensor is treated as immutable once it is handed to the IR or returned from a kernel.
 */
public final class Tensor implements RuntimeValue {
    /** Largest element count a tensor may hold: buffers are indexed by int. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE / 16;

    private final DType dtype;
    private final long[] shape;
    private final int size;
    private final ByteBuffer data;
    private final String[] strings;
    /** The read-only segment over {@link #data}, made on first use (a benign race: any two are equivalent). */
    private MemorySegment segment;

    private Tensor(DType dtype, long[] shape, ByteBuffer data, String[] strings) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = checkedSize(shape);
        this.data = data;
        this.strings = strings;
    }

    /** Element count of a shape, rejecting negative dims and products past {@link #MAX_ELEMENTS}. */
    public static int checkedSize(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Shape.format(shape));
            n = Math.multiplyExact(n, d);
            if (n > MAX_ELEMENTS) throw new IllegalArgumentException("shape " + Shape.format(shape) + " is too large");
        }
        return (int) n;
    }

    private static int elementBytes(DType dtype) {
        return dtype.kind() == DType.Kind.COMPLEX ? dtype.bits() / 8 : dtype.storageBytes();
    }

    /** A zero-filled tensor (empty strings for string tensors). */
    public static Tensor zeros(DType dtype, long... shape) {
        int n = checkedSize(shape);
        if (dtype == DType.STRING) {
            String[] s = new String[n];
            Arrays.fill(s, "");
            return new Tensor(dtype, shape, null, s);
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(n, elementBytes(dtype))).order(ByteOrder.LITTLE_ENDIAN);
        return new Tensor(dtype, shape, buf, null);
    }

    /** Wraps bytes in storage layout (see the class comment); the buffer is copied. */
    public static Tensor fromStorage(DType dtype, long[] shape, ByteBuffer storage) {
        int n = checkedSize(shape);
        long expected = (long) n * elementBytes(dtype);
        if (storage.remaining() != expected) {
            throw new IllegalArgumentException("tensor " + dtype + Shape.format(shape) + " needs " + expected
                    + " bytes, got " + storage.remaining());
        }
        ByteBuffer copy = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(storage.duplicate().order(ByteOrder.LITTLE_ENDIAN)).flip();
        return new Tensor(dtype, shape, copy, null);
    }

    /**
     * A tensor over {@code storage} itself, not a copy (its position to limit, little-endian): for a backend that
     * keeps tensors in memory it manages, such as a session's arena. Writes through either side are seen by both.
     */
    public static Tensor view(DType dtype, long[] shape, ByteBuffer storage) {
        if (dtype == DType.STRING) throw new IllegalArgumentException("string tensors have no byte storage to view");
        int n = checkedSize(shape);
        long expected = (long) n * elementBytes(dtype);
        if (storage.remaining() != expected) {
            throw new IllegalArgumentException("tensor " + dtype + Shape.format(shape) + " needs " + expected
                    + " bytes, got " + storage.remaining());
        }
        return new Tensor(dtype, shape, storage.slice().order(ByteOrder.LITTLE_ENDIAN), null);
    }

    public static Tensor ofStrings(long[] shape, String... values) {
        if (values.length != checkedSize(shape)) throw new IllegalArgumentException("string count does not match shape");
        return new Tensor(DType.STRING, shape, null, values.clone());
    }

    public static Tensor ofFloats(long[] shape, float... values) {
        Tensor t = zeros(DType.F32, shape);
        if (values.length != t.size) throw new IllegalArgumentException("value count does not match shape");
        for (int i = 0; i < values.length; i++) t.data.putFloat(i * 4, values[i]);
        return t;
    }

    public static Tensor ofDoubles(DType dtype, long[] shape, double... values) {
        Tensor t = zeros(dtype, shape);
        if (values.length != t.size) throw new IllegalArgumentException("value count does not match shape");
        for (int i = 0; i < values.length; i++) t.setDouble(i, values[i]);
        return t;
    }

    public static Tensor ofLongs(DType dtype, long[] shape, long... values) {
        Tensor t = zeros(dtype, shape);
        if (values.length != t.size) throw new IllegalArgumentException("value count does not match shape");
        for (int i = 0; i < values.length; i++) t.setLong(i, values[i]);
        return t;
    }

    public static Tensor scalar(DType dtype, double value) { return ofDoubles(dtype, new long[0], value); }

    public DType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public long dim(int axis) { return shape[axis]; }

    public int rank() { return shape.length; }

    public int size() { return size; }

    @Override
    public TensorType type() { return new TensorType(dtype, Shape.of(shape)); }

    /** A read-only little-endian view of the storage bytes; null for string tensors. */
    public ByteBuffer data() {
        return data == null ? null : data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A read-only memory segment over the storage bytes (little-endian), made once per tensor, so that a fast
     * backend reading the same input tensor run after run allocates nothing for it; null for string tensors.
     */
    public MemorySegment segment() {
        MemorySegment s = segment;
        if (s == null && data != null) {
            s = MemorySegment.ofBuffer(data.asReadOnlyBuffer());
            segment = s;
        }
        return s;
    }

    /** The same elements under another shape of equal size (shares storage). */
    public Tensor reshape(long... newShape) {
        if (checkedSize(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + Shape.format(shape) + " to " + Shape.format(newShape));
        }
        return new Tensor(dtype, newShape, data, strings);
    }

    public double getDouble(int i) {
        return switch (dtype) {
            case F32 -> data.getFloat(i * 4);
            case F64 -> data.getDouble(i * 8);
            case F16, BF16 -> NumericFormats.decode(dtype, data.getShort(i * 2));
            case F8E4M3FN, F8E4M3FNUZ, F8E5M2, F8E5M2FNUZ, F4E2M1, F8E8M0 -> NumericFormats.decode(dtype, data.get(i));
            case U64 -> unsignedToDouble(data.getLong(i * 8));
            case STRING -> throw new IllegalStateException("string tensor has no numeric value");
            case C64, C128 -> throw new IllegalStateException("complex tensor has no real value");
            default -> getLong(i);
        };
    }

    public long getLong(int i) {
        return switch (dtype) {
            case I8, I4, I2 -> data.get(i);
            case U8, U4, U2, BOOL -> data.get(i) & 0xFF;
            case I16 -> data.getShort(i * 2);
            case U16 -> data.getShort(i * 2) & 0xFFFF;
            case I32 -> data.getInt(i * 4);
            case U32 -> data.getInt(i * 4) & 0xFFFFFFFFL;
            case I64, U64 -> data.getLong(i * 8);
            case STRING -> throw new IllegalStateException("string tensor has no numeric value");
            default -> (long) getDouble(i);
        };
    }

    public boolean getBoolean(int i) { return dtype.isFloat() ? getDouble(i) != 0 : getLong(i) != 0; }

    public String getString(int i) {
        if (strings == null) throw new IllegalStateException(dtype + " tensor has no string value");
        return strings[i];
    }

    /** Stores {@code v}, rounding to the element type (float formats round to nearest even and saturate). */
    public void setDouble(int i, double v) {
        switch (dtype) {
            case F32 -> data.putFloat(i * 4, (float) v);
            case F64 -> data.putDouble(i * 8, v);
            case F16, BF16 -> data.putShort(i * 2, (short) NumericFormats.encode(dtype, v, true));
            case F8E4M3FN, F8E4M3FNUZ, F8E5M2, F8E5M2FNUZ, F4E2M1, F8E8M0 ->
                    data.put(i, (byte) NumericFormats.encode(dtype, v, true));
            case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
            case U64 -> data.putLong(i * 8, doubleToUnsigned(v));
            case STRING, C64, C128 -> throw new IllegalStateException("cannot store a real number in " + dtype);
            default -> setLong(i, (long) v);
        }
    }

    /** Stores {@code v}, wrapping integers to the element width as a C cast does. */
    public void setLong(int i, long v) {
        switch (dtype) {
            case I8, U8 -> data.put(i, (byte) v);
            case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
            case I16, U16 -> data.putShort(i * 2, (short) v);
            case I32, U32 -> data.putInt(i * 4, (int) v);
            case I64, U64 -> data.putLong(i * 8, v);
            case I4 -> data.put(i, (byte) ((v << 60) >> 60));
            case U4 -> data.put(i, (byte) (v & 0xF));
            case I2 -> data.put(i, (byte) ((v << 62) >> 62));
            case U2 -> data.put(i, (byte) (v & 0x3));
            case STRING -> throw new IllegalStateException("cannot store a number in a string tensor");
            default -> setDouble(i, v);
        }
    }

    public void setString(int i, String v) {
        if (strings == null) throw new IllegalStateException(dtype + " tensor has no string value");
        strings[i] = v;
    }

    /** Complex element {@code i} as {re, im}. */
    public double[] getComplex(int i) {
        if (dtype == DType.C64) return new double[] {data.getFloat(i * 8), data.getFloat(i * 8 + 4)};
        if (dtype == DType.C128) return new double[] {data.getDouble(i * 16), data.getDouble(i * 16 + 8)};
        throw new IllegalStateException(dtype + " is not complex");
    }

    public double[] toDoubles() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = getDouble(i);
        return out;
    }

    public long[] toLongs() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = getLong(i);
        return out;
    }

    public float[] toFloats() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = (float) getDouble(i);
        return out;
    }

    public String[] toStrings() {
        if (strings == null) throw new IllegalStateException(dtype + " tensor has no string values");
        return strings.clone();
    }

    /** A deep copy that may be written to. */
    public Tensor copy() {
        if (strings != null) return new Tensor(dtype, shape, null, strings.clone());
        return fromStorage(dtype, shape, data.duplicate().clear());
    }

    /**
     * Overwrites this tensor's elements with {@code source}'s (same dtype and element count), allocating nothing:
     * for an output tensor a caller made to be filled run after run, which nothing else treats as immutable.
     */
    public void copyFrom(Tensor source) {
        if (source.dtype != dtype || source.size != size) {
            throw new IllegalArgumentException("cannot copy " + source + " into " + this);
        }
        if (strings != null) {
            System.arraycopy(source.strings, 0, strings, 0, size);
            return;
        }
        if (data.isReadOnly()) throw new IllegalStateException(this + " is over read-only storage");
        data.put(0, source.data, 0, size * elementBytes(dtype));
    }

    /** SHA-256 over dtype, shape and contents, as hex; names large constants in IR text. */
    public String contentHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(dtype.shortName().getBytes(StandardCharsets.UTF_8));
            for (long d : shape) md.update(ByteBuffer.allocate(8).putLong(d).array());
            if (strings != null) {
                for (String s : strings) {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
                    md.update(b);
                }
            } else {
                md.update(data.duplicate().clear());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Same dtype, shape and bits (NaNs with equal bits compare equal). */
    public boolean contentEquals(Tensor o) {
        if (o.dtype != dtype || !Arrays.equals(o.shape, shape)) return false;
        if (strings != null) return Arrays.equals(strings, o.strings);
        return data.duplicate().clear().equals(o.data.duplicate().clear());
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0 + (v & 1);
        return v >= 0 ? (double) v : d;
    }

    private static long doubleToUnsigned(double v) {
        if (v < Long.MAX_VALUE) return (long) v;
        return (long) (v / 2) << 1;
    }

    @Override
    public String toString() { return "Tensor(" + dtype + Shape.format(shape) + ")"; }
}
