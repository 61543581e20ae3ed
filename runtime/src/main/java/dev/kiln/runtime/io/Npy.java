package dev.kiln.runtime.io;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1 to 3). Types NumPy lacks natively (bf16, the float8 family, 4- and 2-bit
 * ints, f4e2m1) use the dtype names of the {@code ml_dtypes} package ({@code bfloat16}, {@code float8_e4m3fn},
 * {@code int4}, ...) as their descr, one element per byte or two bytes; strings are NumPy's fixed-width UTF-32
 * {@code <U n}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Map<DType, String> DESCR = Map.ofEntries(
            Map.entry(DType.F32, "<f4"), Map.entry(DType.F64, "<f8"), Map.entry(DType.F16, "<f2"),
            Map.entry(DType.I8, "|i1"), Map.entry(DType.U8, "|u1"), Map.entry(DType.I16, "<i2"),
            Map.entry(DType.U16, "<u2"), Map.entry(DType.I32, "<i4"), Map.entry(DType.U32, "<u4"),
            Map.entry(DType.I64, "<i8"), Map.entry(DType.U64, "<u8"), Map.entry(DType.BOOL, "|b1"),
            Map.entry(DType.C64, "<c8"), Map.entry(DType.C128, "<c16"), Map.entry(DType.BF16, "bfloat16"),
            Map.entry(DType.F8E4M3FN, "float8_e4m3fn"), Map.entry(DType.F8E4M3FNUZ, "float8_e4m3fnuz"),
            Map.entry(DType.F8E5M2, "float8_e5m2"), Map.entry(DType.F8E5M2FNUZ, "float8_e5m2fnuz"),
            Map.entry(DType.F8E8M0, "float8_e8m0fnu"), Map.entry(DType.F4E2M1, "float4_e2m1fn"),
            Map.entry(DType.I4, "int4"), Map.entry(DType.U4, "uint4"), Map.entry(DType.I2, "int2"),
            Map.entry(DType.U2, "uint2"));
    private static final Pattern DESCR_FIELD = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER_FIELD = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE_FIELD = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static Tensor read(Path file) throws IOException {
        long fileSize = Files.size(file);
        if (fileSize > Integer.MAX_VALUE) throw new KilnException(file + ": too large for a .npy tensor");
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses .npy bytes; {@code where} names the source in errors. */
    public static Tensor parse(byte[] bytes, String where) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new KilnException(where + ": not a .npy file (bad magic)");
        }
        int major = bytes[6];
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = in.getShort(8) & 0xFFFF;
            offset = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new KilnException(where + ": truncated .npy header");
            headerLen = in.getInt(8);
            offset = 12;
        } else {
            throw new KilnException(where + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || offset + (long) headerLen > bytes.length) throw new KilnException(where + ": truncated .npy header");
        String header = new String(bytes, offset, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(DESCR_FIELD, header, where, "descr");
        boolean fortran = field(ORDER_FIELD, header, where, "fortran_order").equals("True");
        long[] shape = parseShape(field(SHAPE_FIELD, header, where, "shape"), where);
        int n;
        try {
            n = Tensor.checkedSize(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new KilnException(where + ": " + e.getMessage());
        }
        int dataStart = offset + headerLen;
        Tensor t;
        if (descr.matches("[<>|=]U\\d+")) {
            t = readStrings(bytes, dataStart, descr, shape, n, where);
        } else {
            DType dtype = dtypeOf(descr, where);
            int width = dtype.kind() == DType.Kind.COMPLEX ? dtype.bits() / 8 : dtype.storageBytes();
            long need = (long) n * width;
            if (bytes.length - dataStart < need) {
                throw new KilnException(where + ": .npy data is truncated (" + (bytes.length - dataStart) + " of " + need + " bytes)");
            }
            t = Tensor.fromStorage(dtype, shape, ByteBuffer.wrap(bytes, dataStart, (int) need).slice());
        }
        return fortran ? fromFortranOrder(t) : t;
    }

    public static void write(Path file, Tensor t) throws IOException {
        Files.write(file, toBytes(t));
    }

    public static byte[] toBytes(Tensor t) {
        String descr;
        byte[] body;
        if (t.dtype() == DType.STRING) {
            String[] s = t.toStrings();
            int width = 1;
            for (String x : s) width = Math.max(width, x.codePointCount(0, x.length()));
            descr = "<U" + width;
            ByteBuffer b = ByteBuffer.allocate(s.length * width * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < s.length; i++) {
                int[] cps = s[i].codePoints().toArray();
                for (int j = 0; j < width; j++) b.putInt(i * width * 4 + j * 4, j < cps.length ? cps[j] : 0);
            }
            body = b.array();
        } else {
            descr = DESCR.get(t.dtype());
            ByteBuffer data = t.data();
            body = new byte[data.remaining()];
            data.get(body);
        }
        StringBuilder shape = new StringBuilder();
        for (long d : t.shape()) shape.append(d).append(", ");
        if (t.rank() > 1) shape.setLength(shape.length() - 2);
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape.toString().trim() + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + body.length);
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xFF);
        out.write(header.length() >>> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static String field(Pattern p, String header, String where, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new KilnException(where + ": .npy header has no '" + name + "'");
        return m.group(1);
    }

    private static long[] parseShape(String text, String where) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim().replace("L", "");
            if (p.isEmpty()) continue;
            try {
                dims.add(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw new KilnException(where + ": bad .npy shape (" + text + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static DType dtypeOf(String descr, String where) {
        if (descr.startsWith(">") && !descr.endsWith("1")) {
            throw new KilnException(where + ": big-endian .npy data (" + descr + ") is not supported; save it little-endian");
        }
        String normal = descr.replaceFirst("^[=|>]", descr.endsWith("1") ? "|" : "<");
        for (Map.Entry<DType, String> e : DESCR.entrySet()) {
            if (e.getValue().equals(normal) || e.getValue().equals(descr)) return e.getKey();
        }
        if (normal.equals("|?") || normal.equals("<?")) return DType.BOOL;
        throw new KilnException(where + ": unsupported .npy dtype '" + descr + "'");
    }

    private static Tensor readStrings(byte[] bytes, int start, String descr, long[] shape, int n, String where) {
        int width = Integer.parseInt(descr.substring(2));
        long need = (long) n * width * 4;
        if (bytes.length - start < need) throw new KilnException(where + ": .npy data is truncated");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < width; j++) {
                int cp = b.getInt(start + (i * width + j) * 4);
                if (cp == 0) break;
                s.appendCodePoint(cp);
            }
            out[i] = s.toString();
        }
        return Tensor.ofStrings(shape, out);
    }

    /** Reorders column-major data to the row-major layout tensors use. */
    private static Tensor fromFortranOrder(Tensor t) {
        long[] shape = t.shape();
        Tensor out = t.copy();
        int n = t.size();
        int rank = shape.length;
        long[] idx = new long[rank];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int d = 0; d < rank; d++) {
                idx[d] = rem % shape[d];
                rem /= (int) shape[d];
            }
            int rowMajor = 0;
            for (int d = 0; d < rank; d++) rowMajor = (int) (rowMajor * shape[d] + idx[d]);
            copyElement(t, i, out, rowMajor);
        }
        return out;
    }

    private static void copyElement(Tensor from, int i, Tensor to, int j) {
        switch (from.dtype().kind()) {
            case STRING -> to.setString(j, from.getString(i));
            case FLOAT -> to.setDouble(j, from.getDouble(i));
            case COMPLEX -> throw new KilnException("Fortran-ordered complex .npy data is not supported");
            default -> to.setLong(j, from.getLong(i));
        }
    }

}
