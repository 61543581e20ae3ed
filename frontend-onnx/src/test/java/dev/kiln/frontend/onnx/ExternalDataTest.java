package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.GraphProto;
import dev.kiln.frontend.onnx.proto.StringStringEntryProto;
import dev.kiln.frontend.onnx.proto.TensorProto;
import dev.kiln.ir.Graph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.kiln.frontend.onnx.Protos.*;
import static org.junit.jupiter.api.Assertions.*;

/** External tensor data is read only from inside the model's folder, and only within the file's bounds. */
class ExternalDataTest {
    @TempDir
    Path root;

    private Path folder;

    @BeforeEach
    void weights() throws IOException {
        folder = Files.createDirectory(root.resolve("model"));
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) data.putFloat(i + 0.5f);
        Files.write(folder.resolve("weights.bin"), data.array());
        Files.write(root.resolve("secret.bin"), new byte[24]);
    }

    private static TensorProto external(String location, String offset, String length) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("w").setDataType(1).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (offset != null) b.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset));
        if (length != null) b.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length));
        return b.build();
    }

    private Graph load(TensorProto weights) {
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2L))
                .addInitializer(weights)
                .addNode(testNode("Add", List.of("x", "w"), List.of("y")))
                .addOutput(f32AnyShape("y"))
                .build();
        return OnnxImporter.importFile(write(folder, model(g)));
    }

    private String error(TensorProto weights) {
        ImportException e = assertThrows(ImportException.class, () -> load(weights));
        return e.getMessage();
    }

    @Test
    void readsARangeOfAFileInTheFolder() {
        Graph g = load(external("weights.bin", "8", "8"));
        assertArrayEquals(new float[] {2.5f, 3.5f}, g.constants().get("w").toFloats());
    }

    @Test
    void refusesLocationsOutsideTheFolder() throws IOException {
        assertTrue(error(external("../secret.bin", null, "8")).contains("leaves the model's folder"));
        assertTrue(error(external(root.resolve("secret.bin").toString(), null, "8")).contains("is absolute"));
        Files.createSymbolicLink(folder.resolve("link.bin"), root.resolve("secret.bin"));
        String message = error(external("link.bin", null, "8"));
        assertTrue(message.contains("external data location 'link.bin' leads outside the model's folder"), message);
    }

    @Test
    void rangesMustLieInsideTheFile() {
        assertTrue(error(external("weights.bin", "100", "8")).contains("offset 100 is past the end of 'weights.bin' (24 bytes)"));
        assertTrue(error(external("weights.bin", "20", "8")).contains("range 20+8 is past the end"));
        assertTrue(error(external("weights.bin", "-4", "8")).contains("offset '-4' is not a non-negative integer"));
        assertTrue(error(external("weights.bin", "0", null)).contains("external data has 24 bytes, the shape needs 8"));
        assertTrue(error(external("missing.bin", "0", "8")).contains("'missing.bin' does not exist"));
    }
}
