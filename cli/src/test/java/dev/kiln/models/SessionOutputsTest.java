package dev.kiln.models;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.InputException;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Session.run(inputs, outputs)}: the same results as {@code run(inputs)}, written into the caller's tensors. */
class SessionOutputsTest {
    private static final Path DIR = RepoRoot.find().resolve("examples/digits");

    @ParameterizedTest
    @ValueSource(strings = {"ref", "cpu"})
    void writesTheSameLogitsIntoTheCallersTensorRunAfterRun(String device) throws IOException {
        Tensor samples = Npy.read(DIR.resolve("samples.npy"));
        ByteBuffer imageData = ByteBuffer.allocateDirect(64 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        Tensor image = Tensor.view(DType.F32, new long[] {1, 1, 8, 8}, imageData);
        Tensor logits = Tensor.zeros(DType.F32, 1, 10);
        try (Session session = Kiln.load(DIR.resolve("digits_cnn.onnx")).compile(CompileOptions.defaults().withDevice(device)).newSession()) {
            for (int sample = 0; sample < 3; sample++) {
                for (int i = 0; i < 64; i++) imageData.putFloat(i * 4, (float) samples.getDouble(sample * 64 + i));
                session.run(Map.of("image", image), Map.of("logits", logits));
                Tensor owned = session.run(Map.of("image", image)).get("logits");
                assertTrue(owned.contentEquals(logits), "sample " + sample);
            }
            Map<String, Tensor> in = Map.of("image", image);
            InputException wrongShape = assertThrows(InputException.class, () -> session.run(in, Map.of("logits", Tensor.zeros(DType.F32, 2, 10))));
            assertTrue(wrongShape.getMessage().contains("output 'logits'"), wrongShape.getMessage());
            InputException missing = assertThrows(InputException.class, () -> session.run(in, Map.of()));
            assertTrue(missing.getMessage().contains("no output tensor given for 'logits'"), missing.getMessage());
            InputException unknown = assertThrows(InputException.class, () -> session.run(Map.of("images", image), Map.of("logits", logits)));
            assertTrue(unknown.getMessage().contains("unknown input 'images'"), unknown.getMessage());
        }
    }
}
