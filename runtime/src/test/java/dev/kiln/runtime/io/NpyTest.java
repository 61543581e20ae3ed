package dev.kiln.runtime.io;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files under resources/npy were written by NumPy's np.save (see their names for the dtype). */
class NpyTest {
    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f64", "f16", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "bool"})
    void readsNumpyFilesOfEveryRealDtype(String name) throws IOException {
        Tensor t = Npy.parse(fixture(name + ".npy"), name);
        assertEquals(DType.fromShortName(name), t.dtype());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        double[] expected = name.startsWith("u") ? new double[] {0, 1, 2, 3, 4, 5}
                : name.equals("bool") ? new double[] {0, 1, 1, 1, 1, 1} : new double[] {0, 1, -2, 3, -4, 5};
        assertArrayEquals(expected, t.toDoubles());
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f64", "f16", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "bool", "c64", "c128", "string"})
    void writesTheBytesNumpyWrites(String name) throws IOException {
        byte[] numpy = fixture(name + ".npy");
        assertArrayEquals(numpy, Npy.toBytes(Npy.parse(numpy, name)));
    }

    @Test
    void readsComplexStringsScalarsAndFortranOrder() throws IOException {
        Tensor c = Npy.parse(fixture("c64.npy"), "c64");
        assertArrayEquals(new double[] {-2, 0}, c.getComplex(2));
        Tensor s = Npy.parse(fixture("string.npy"), "string");
        assertArrayEquals(new String[] {"ab", "ß", "", "xyz"}, s.toStrings());
        Tensor scalar = Npy.parse(fixture("scalar_f32.npy"), "scalar");
        assertEquals(0, scalar.rank());
        assertEquals(2.5, scalar.getDouble(0));
        Tensor f = Npy.parse(fixture("fortran_i32.npy"), "fortran");
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, f.toLongs());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void roundTripsEveryDtype(DType dtype, @TempDir Path dir) {
        Tensor t = dtype == DType.STRING ? Tensor.ofStrings(new long[] {3}, "a", "", "ünï")
                : Tensor.zeros(dtype, 3);
        if (dtype.kind() != DType.Kind.STRING && dtype.kind() != DType.Kind.COMPLEX) t.setDouble(1, 1);
        Path file = dir.resolve("t.npy");
        TensorFiles.write(file, t);
        Tensor back = (Tensor) TensorFiles.read(file, null);
        assertTrue(t.contentEquals(back), dtype + " did not round-trip");
    }

    @Test
    void rejectsBadFilesWithOneLineErrors() throws IOException {
        KilnException magic = assertThrows(KilnException.class, () -> Npy.parse("hello world".getBytes(), "x.npy"));
        assertEquals("x.npy: not a .npy file (bad magic)", magic.getMessage());
        byte[] full = fixture("f64.npy");
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 8);
        KilnException truncated = assertThrows(KilnException.class, () -> Npy.parse(cut, "t.npy"));
        assertTrue(truncated.getMessage().startsWith("t.npy: .npy data is truncated"), truncated.getMessage());
    }

    @Test
    void missingFileIsAOneLineError(@TempDir Path dir) {
        KilnException e = assertThrows(KilnException.class, () -> TensorFiles.read(dir.resolve("none.npy"), null));
        assertTrue(e.getMessage().endsWith("none.npy: no such file"));
        assertTrue(Files.notExists(dir.resolve("none.npy")));
    }
}
