package dev.kiln.frontend.onnx;

import dev.kiln.ir.DType;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.ModelException;
import dev.kiln.runtime.io.TensorFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Imports files of the ONNX backend test data. Only the test ops are registered in this module, so every ONNX op
 * is unsupported here: what these tests see is that real files parse and convert up to the op check, and that the
 * check lists every op of the model.
 */
class RealFilesTest {
    private static final Path DATA = Path.of("/work/shared/onnx-backend-tests");

    @TempDir
    Path dir;

    private static Path data(String relative) {
        Path p = DATA.resolve(relative);
        assumeTrue(Files.exists(p), "backend test data not present");
        return p;
    }

    @Test
    void singleOpModelNamesItsUnsupportedOp() {
        Path file = data("node/test_add/model.onnx");
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.importFile(file));
        assertEquals(file + ": 1 unsupported op: node 'Add_0' (Add, opset 14)", e.getMessage());
    }

    @Test
    void wholeModelListsEveryUnsupportedNode() {
        Path file = data("light/light_squeezenet.onnx");
        ModelException e = assertThrows(ModelException.class, () -> Kiln.load(file), "the runtime finds the ONNX loader");
        assertTrue(e.getMessage().startsWith(file + ": 105 unsupported ops: node '"), e.getMessage());
        assertTrue(e.getMessage().contains("(ConstantOfShape, opset 9)"), e.getMessage());
    }

    @Test
    void subgraphOpsAreListedToo() {
        Path file = data("node/test_loop13_seq/model.onnx");
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.importFile(file));
        assertTrue(e.getMessage().startsWith(file + ": 6 unsupported ops: node 'Loop_0' (Loop, opset 13)"), e.getMessage());
    }

    @Test
    void readsTensorFiles() {
        Tensor in = (Tensor) TensorFiles.read(data("node/test_add/test_data_set_0/input_0.pb"), null);
        assertEquals(TensorType.of(DType.F32, 3, 4, 5), in.type());
        assertEquals(1.7640524f, in.toFloats()[0]);

        Tensor strings = (Tensor) TensorFiles.read(data("node/test_equal_string/test_data_set_0/input_0.pb"), null);
        assertArrayEquals(new String[] {"string1", "string2"}, strings.toStrings());

        Tensor bf16 = (Tensor) TensorFiles.read(data("node/test_cast_FLOAT_to_BFLOAT16/test_data_set_0/output_0.pb"), null);
        assertEquals(DType.BF16, bf16.dtype());
        assertEquals(0.478515625, bf16.getDouble(0), "0x3EF5 is exactly 0.478515625");
    }

    @Test
    void readsSequenceAndOptionalFilesByExpectedType() {
        TensorType i64 = new TensorType(DType.I64, Shape.UNKNOWN_RANK);
        RuntimeValue seq = TensorFiles.read(data("node/test_sequence_insert_at_back/test_data_set_0/input_0.pb"), new SequenceType(i64));
        TensorSequence s = assertInstanceOf(TensorSequence.class, seq);
        assertEquals(3, s.elements().size());
        assertArrayEquals(new long[] {5, 6, 7}, ((Tensor) s.elements().get(1)).toLongs());

        OptionalType optSeq = new OptionalType(new SequenceType(new TensorType(DType.I32, Shape.of(4))));
        RuntimeValue opt = TensorFiles.read(data("node/test_optional_get_element_optional_sequence/test_data_set_0/input_0.pb"), optSeq);
        OptionalValue o = assertInstanceOf(OptionalValue.class, opt);
        assertTrue(o.isPresent());
        assertArrayEquals(new long[] {1, 2, 3, 4}, ((Tensor) ((TensorSequence) o.element()).elements().getFirst()).toLongs());
    }

    @Test
    void writtenFilesReadBackEqual() {
        Path in = data("node/test_sequence_insert_at_back/test_data_set_0/input_0.pb");
        SequenceType type = new SequenceType(new TensorType(DType.I64, Shape.UNKNOWN_RANK));
        TensorSequence original = (TensorSequence) TensorFiles.read(in, type);
        Path copy = dir.resolve("copy.pb");
        TensorFiles.write(copy, new OptionalValue(type, original));
        OptionalValue back = (OptionalValue) TensorFiles.read(copy, new OptionalType(type));
        List<RuntimeValue> elements = ((TensorSequence) back.element()).elements();
        for (int i = 0; i < elements.size(); i++) {
            assertTrue(((Tensor) elements.get(i)).contentEquals((Tensor) original.elements().get(i)));
        }
    }
}
