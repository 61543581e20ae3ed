package dev.kiln.frontend.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.ModelProto;
import dev.kiln.frontend.onnx.proto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.kiln.frontend.onnx.Protos.*;
import static org.junit.jupiter.api.Assertions.*;

/** A malformed file gives a typed, one-line error: never an OutOfMemoryError, a StackOverflowError, a hang or a partial model. */
class MalformedModelTest {
    @TempDir
    Path dir;

    private static final GraphProto VALID = GraphProto.newBuilder().setName("g")
            .addInput(f32("x", 2L))
            .addInitializer(f32s("w", new long[] {2}, 1, 2))
            .addNode(testNode("Add", List.of("x", "w"), List.of("y")))
            .addNode(testNode("Apply", List.of("y"), List.of("z"), graphAttr("body", GraphProto.newBuilder().setName("body")
                    .addInput(f32("b", 2L))
                    .addNode(testNode("Add", List.of("b", "w"), List.of("c")))
                    .addOutput(f32AnyShape("c")).build())))
            .addOutput(f32AnyShape("z"))
            .build();

    private String importError(byte[] bytes) throws IOException {
        Path file = dir.resolve("bad.onnx");
        Files.write(file, bytes);
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.importFile(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private String importError(GraphProto graph) throws IOException { return importError(model(graph).toByteArray()); }

    @Test
    void theValidModelImports() {
        assertEquals(2, OnnxImporter.importFile(write(dir, model(VALID))).nodes().size());
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] bytes = model(VALID).toByteArray();
        String message = importError(Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(message.contains("not a valid ONNX model"), message);
    }

    @Test
    void garbageAndWrongWireTypes() throws IOException {
        assertTrue(importError(new byte[] {(byte) 0x3F, 1, 2, 3}).contains("not a valid ONNX model"), "wire type 7 does not exist");
        assertTrue(importError(new byte[] {0x38, 0x01}).contains("has no graph"), "graph field sent as a varint");
        assertTrue(importError("this is not a model".getBytes()).contains("ONNX model"));
    }

    @Test
    void cycleOrUseBeforeDefinition() throws IOException {
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2L))
                .addNode(testNode("Add", List.of("x", "b"), List.of("a")).toBuilder().setName("first").build())
                .addNode(testNode("Add", List.of("x", "a"), List.of("b")).toBuilder().setName("second").build())
                .addOutput(f32AnyShape("b"))
                .build();
        String message = importError(g);
        assertTrue(message.contains("node 'first' (test.kiln:Add): input 'b' is not defined before the node"), message);
    }

    @Test
    void duplicateValueNames() throws IOException {
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2L))
                .addNode(testNode("Identity", List.of("x"), List.of("y")).toBuilder().setName("one").build())
                .addNode(testNode("Identity", List.of("x"), List.of("y")).toBuilder().setName("two").build())
                .addOutput(f32AnyShape("y"))
                .build();
        String message = importError(g);
        assertTrue(message.contains("value 'y' is defined twice: by node 'one' (test.kiln:Identity) and by node 'two'"), message);

        GraphProto shadowing = VALID.toBuilder().setNode(1, VALID.getNode(1).toBuilder().setAttribute(0,
                graphAttr("body", VALID.getNode(1).getAttribute(0).getG().toBuilder().setInput(0, f32("x", 2L)).build()))).build();
        assertTrue(importError(shadowing).contains("value 'x' is defined twice"), "a subgraph may not redefine an outer name");
    }

    @Test
    void absurdOrNegativeDims() throws IOException {
        TensorProto huge = TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 40).addDims(1L << 40).build();
        String message = importError(VALID.toBuilder().setInitializer(0, huge).build());
        assertTrue(message.contains("initializer 'w': bad shape [1099511627776,1099511627776]"), message);

        TensorProto negative = TensorProto.newBuilder().setName("w").setDataType(1).addDims(-2).addDims(3).build();
        message = importError(VALID.toBuilder().setInitializer(0, negative).build());
        assertTrue(message.contains("negative dimension"), message);

        TensorProto large = TensorProto.newBuilder().setName("w").setDataType(1).addDims(100_000).addDims(1000).build();
        message = importError(VALID.toBuilder().setInitializer(0, large).build());
        assertTrue(message.contains("float_data holds 0 values, the shape needs 100000000"), "checked before allocating: " + message);
    }

    @Test
    void rawDataLengthMustMatchTheShape() throws IOException {
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(1).addDims(2).addDims(2)
                .setRawData(ByteString.copyFrom(new byte[12])).build();
        String message = importError(VALID.toBuilder().setInitializer(0, w).build());
        assertTrue(message.contains("initializer 'w' (f32[2,2]): raw_data has 12 bytes, the shape needs 16"), message);
    }

    @Test
    void deeplyNestedSubgraphsInAFile() throws IOException {
        ByteString graph = ByteString.EMPTY;
        for (int level = 0; level < 10_000; level++) {
            ByteString attribute = field(1, ByteString.copyFromUtf8("body")).concat(varintField(20, 5)).concat(field(6, graph));
            ByteString node = field(4, ByteString.copyFromUtf8("Apply")).concat(field(5, attribute));
            graph = field(1, node);
        }
        String message = importError(field(7, graph).toByteArray());
        assertTrue(message.contains("nesting"), message);
    }

    @Test
    void deeplyNestedSubgraphsInMemory() {
        GraphProto g = GraphProto.newBuilder().setName("leaf").build();
        for (int level = 0; level < 100; level++) {
            g = GraphProto.newBuilder().addNode(testNode("Apply", List.of(), List.of(), graphAttr("body", g))).build();
        }
        ModelProto m = model(g);
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.importModel(m, null, "deep"));
        assertTrue(e.getMessage().contains("subgraphs nest deeper than"), e.getMessage());
    }

    @Test
    void randomlyCorruptedFilesFailCleanly() throws IOException {
        byte[] valid = model(VALID).toByteArray();
        Random random = new Random(42);
        Path file = dir.resolve("fuzz.onnx");
        for (int round = 0; round < 400; round++) {
            byte[] bytes = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            Files.write(file, bytes);
            try {
                OnnxImporter.importFile(file);
            } catch (ImportException expected) {
                assertFalse(expected.getMessage().isBlank());
            }
        }
    }

    private static ByteString field(int number, ByteString payload) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(header);
        out.writeTag(number, 2);
        out.writeUInt32NoTag(payload.size());
        out.flush();
        return ByteString.copyFrom(header.toByteArray()).concat(payload);
    }

    private static ByteString varintField(int number, int value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeInt32(number, value);
        out.flush();
        return ByteString.copyFrom(bytes.toByteArray());
    }
}
