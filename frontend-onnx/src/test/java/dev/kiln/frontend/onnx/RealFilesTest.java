package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.AttributeProto;
import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.ModelProto;
import dev.kiln.frontend.onnx.proto.NodeProto;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.tensor.TensorSequence;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.ModelException;
import dev.kiln.runtime.io.TensorFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Imports models and reads value files of the ONNX backend test data. */
class RealFilesTest {
    @TempDir
    Path dir;

    private static Path data(String relative) {
        return BackendTestData.root().resolve(relative);
    }

    /** The op of every node (subgraphs included, Constant excluded) that the registry does not know, in graph order. */
    private static List<String> unregisteredOps(GraphProto g) {
        List<String> ops = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (!ConstantNodes.isConstant(n) && OpRegistry.standard().find(n.getDomain(), n.getOpType()) == null) {
                ops.add(n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + ":" + n.getOpType());
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) ops.addAll(unregisteredOps(a.getG()));
                for (GraphProto sub : a.getGraphsList()) ops.addAll(unregisteredOps(sub));
            }
        }
        return ops;
    }

    /**
     * Real models import once their ops are registered; until then the error lists exactly the unregistered ones.
     * The files cover subgraphs (Loop, If), sequences and optionals, untyped loop-body inputs, and a whole network.
     */
    @ParameterizedTest
    @ValueSource(strings = {"node/test_add/model.onnx", "light/light_squeezenet.onnx", "node/test_loop13_seq/model.onnx",
            "node/test_if_opt/model.onnx", "simple/test_sequence_model1/model.onnx",
            "node/test_range_float_type_positive_delta_expanded/model.onnx",
            "node/test_linear_attention_gated_expanded/model.onnx", "pytorch-converted/test_ConvTranspose2d/model.onnx"})
    void importsOrListsEveryUnregisteredOp(String relative) {
        Path file = data(relative);
        List<String> missing = unregisteredOps(ProtoFiles.parse(file, ModelProto.parser(), "ONNX model").getGraph());
        if (missing.isEmpty()) {
            Graph graph = assertDoesNotThrow(() -> OnnxImporter.importFile(file));
            assertFalse(graph.outputs().isEmpty());
            return;
        }
        ModelException e = assertThrows(ModelException.class, () -> Kiln.load(file), "the runtime finds the ONNX loader");
        String count = missing.size() + " unsupported op" + (missing.size() == 1 ? "" : "s") + ": ";
        assertTrue(e.getMessage().startsWith(file + ": " + count), e.getMessage());
        for (String op : missing) assertTrue(e.getMessage().contains("(" + op + ", opset "), op + " in " + e.getMessage());
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
