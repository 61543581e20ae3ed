package dev.kiln.cli;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {
    @TempDir
    Path dir;

    private Path npy(String name, Tensor t) throws IOException {
        Path file = dir.resolve(name);
        Npy.write(file, t);
        return file;
    }

    private Path x23() throws IOException {
        return npy("x.npy", Tensor.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
    }

    @Test
    void runsAModelAndPrintsDeviceAndOutputs() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Cli r = Cli.run("run", model.toString(), "--input", "x=" + x23());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("device: cpu (fastest available device that runs every node"), r.out());
        assertTrue(r.out().contains("y: f32[2,3]  argmax per row [2, 2]"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void explainSaysWhichKernelRunsEachNode() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Cli r = Cli.run("run", model.toString(), "--input", "x=" + x23(), "--device", "cpu", "--explain");
        assertEquals(0, r.code(), r.toString());
        // The test op has no kernel of the CPU backend's own: the interpreter's runs it, and --explain says so.
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("kernel scale (") && l.endsWith("Scale): generic (reference kernel)")), r.out());
    }

    @Test
    void aModelWithOneInputTakesABareFileAndWritesOutputs() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Path outDir = dir.resolve("out");
        Cli r = Cli.run("run", model.toString(), "--input", x23().toString(), "--output-dir", outDir.toString(), "--device", "ref");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("device 'ref' was requested"), r.out());
        Tensor y = Npy.read(outDir.resolve("y.npy"));
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, y.toFloats());
    }

    @Test
    void outputNamesBecomeSafeFileNames() throws IOException {
        Path model = TestModels.write(dir.resolve("pair.kilntest"), "pair");
        Path a = npy("a.npy", Tensor.ofFloats(new long[] {2}, 1, 2));
        Path b = npy("b.npy", Tensor.ofFloats(new long[] {2}, 1, 2));
        Path outDir = dir.resolve("out");
        Cli r = Cli.run("run", model.toString(), "-i", "a=" + a, "-i", "b=" + b, "-o", outDir.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("b2:0: f32[2]  values [3, 6]"), r.out());
        assertArrayEquals(new float[] {3, 6}, Npy.read(outDir.resolve("b2_0.npy")).toFloats());
        assertTrue(Files.exists(outDir.resolve("a2.npy")));
    }

    @Test
    void aMissingModelFileIsAUsageError() {
        Cli r = Cli.run("run", dir.resolve("nope.onnx").toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("nope.onnx: no such file"), r.err());
    }

    @Test
    void aMissingInputFileIsAUsageError() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Cli r = Cli.run("run", model.toString(), "--input", "x=" + dir.resolve("missing.npy"));
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("missing.npy: no such file"), r.err());
    }

    @Test
    void aTextFileIsNotAModel() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Cli r = Cli.run("run", text.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("kiln run: " + text + ": not a model file"), r.err());
    }

    @Test
    void aWrongInputNameFailsNamingIt() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Cli r = Cli.run("run", model.toString(), "--input", "images=" + x23());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("unknown input 'images' (model inputs: x)"), r.err());
    }

    @Test
    void aWrongShapeFailsNamingTheInput() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Path x = npy("x32.npy", Tensor.ofFloats(new long[] {3, 2}, 1, 2, 3, 4, 5, 6));
        Cli r = Cli.run("run", model.toString(), "--input", "x=" + x);
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("input 'x' must have shape [2,3], got [3,2]"), r.err());
    }

    @Test
    void aWrongDtypeFailsNamingTheInput() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Path x = npy("x64.npy", Tensor.ofDoubles(DType.F64, new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        Cli r = Cli.run("run", model.toString(), "--input", x.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("input 'x' must be f32, got f64"), r.err());
    }

    @Test
    void aBareFileNeedsAModelWithOneInput() throws IOException {
        Path model = TestModels.write(dir.resolve("pair.kilntest"), "pair");
        Cli r = Cli.run("run", model.toString(), "--input", x23().toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("this one has 2 (a, b)"), r.err());
    }

    @Test
    void aMissingInputFailsNamingIt() throws IOException {
        Path model = TestModels.write(dir.resolve("pair.kilntest"), "pair");
        Path a = npy("a.npy", Tensor.ofFloats(new long[] {2}, 1, 2));
        Cli r = Cli.run("run", model.toString(), "--input", "a=" + a);
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("missing input 'b'"), r.err());
    }

    @Test
    void anUnknownDeviceIsOneLine() throws IOException {
        Path model = TestModels.write(dir.resolve("scale.kilntest"), "scale");
        Cli r = Cli.run("run", model.toString(), "--input", x23().toString(), "--device", "tpu");
        assertEquals(2, r.code(), r.toString());
        assertEquals(List.of("kiln run: unknown device 'tpu' (known: cpu, opencl, ref) (see 'kiln run --help')"), r.errLines());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Cli r = Cli.run("run", text.toString(), "--verbose");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.errLines().size() > 3, r.toString());
        assertTrue(r.err().contains("at dev.kiln.runtime.Kiln.load"), r.err());
    }
}
