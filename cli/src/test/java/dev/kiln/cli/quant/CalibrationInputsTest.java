package dev.kiln.cli.quant;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration data for a model with two inputs (models/gru: rows [batch,8,8] and a state [2,batch,24] whose sample
 * axis is 1): files found by position or by input name, batches cut along each input's own batch axis, and one-line
 * errors for a missing file or unequal sample counts.
 */
class CalibrationInputsTest {
    private static final Path GRU = repoRoot().resolve("models/gru");

    @TempDir
    Path dir;

    @Test
    void twoInputModelReadsFilesByPositionAndSlicesEachAlongItsBatchAxis() {
        Graph graph = Kiln.load(GRU.resolve("model.onnx")).graph();
        List<Map<String, Tensor>> sets = CalibrationInputs.read(GRU, graph);
        assertEquals(1, sets.size());
        assertEquals(4, CalibrationInputs.sampleCount(sets, graph));
        String rows = graph.inputs().get(0).name(), state = graph.inputs().get(1).name();
        assertEquals(1, CalibrationInputs.sampleAxis(graph.inputs().get(1)));

        Tensor fullState = sets.getFirst().get(state);
        Tensor part = CalibrationInputs.slice(fullState, 1, 1, 3);
        assertArrayEquals(new long[] {2, 2, 24}, part.shape());
        // direction 1, sample 2 (the second of the slice), unit 5
        assertEquals(fullState.getDouble((1 * 4 + 2) * 24 + 5), part.getDouble((1 * 2 + 1) * 24 + 5));

        List<Map<String, RuntimeValue>> batches = CalibrationInputs.batches(sets, graph);
        assertEquals(1, batches.size());
        assertArrayEquals(new long[] {4, 8, 8}, ((Tensor) batches.getFirst().get(rows)).shape());
        assertArrayEquals(new long[] {2, 4, 24}, ((Tensor) batches.getFirst().get(state)).shape());
    }

    @Test
    void filesNamedAfterTheInputsWorkAndErrorsNameTheInput() throws IOException {
        Graph graph = Kiln.load(GRU.resolve("model.onnx")).graph();
        String rows = graph.inputs().get(0).name(), state = graph.inputs().get(1).name();
        Path named = Files.createDirectories(dir.resolve("named/set0"));
        Files.copy(GRU.resolve("input_0.npy"), named.resolve(rows + ".npy"));
        Files.copy(GRU.resolve("input_1.npy"), named.resolve(state + ".npy"));
        Files.createDirectories(dir.resolve("named/set1"));
        Files.copy(GRU.resolve("input_0.npy"), dir.resolve("named/set1/input_0.npy"));
        Files.copy(GRU.resolve("input_1.npy"), dir.resolve("named/set1/input_1.npy"));
        assertEquals(8, CalibrationInputs.sampleCount(CalibrationInputs.read(dir.resolve("named"), graph), graph));

        Path missing = Files.createDirectories(dir.resolve("missing"));
        Files.copy(GRU.resolve("input_0.npy"), missing.resolve("input_0.npy"));
        KilnException e = assertThrows(KilnException.class, () -> CalibrationInputs.read(missing, graph));
        assertTrue(e.getMessage().contains("no data for input '" + state + "'"), e.getMessage());

        Path unequal = Files.createDirectories(dir.resolve("unequal"));
        Tensor rowsData = (Tensor) Npy.read(GRU.resolve("input_0.npy"));
        Npy.write(unequal.resolve("input_0.npy"), CalibrationInputs.slice(rowsData, 0, 3));
        Files.copy(GRU.resolve("input_1.npy"), unequal.resolve("input_1.npy"));
        e = assertThrows(KilnException.class, () -> CalibrationInputs.read(unequal, graph));
        assertTrue(e.getMessage().contains("4 samples for input '" + state + "', the other inputs' files hold 3"), e.getMessage());

        e = assertThrows(KilnException.class, () -> CalibrationInputs.read(GRU.resolve("input_0.npy"), graph));
        assertTrue(e.getMessage().contains("the model has 2 inputs"), e.getMessage());
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("models/gru"))) return d;
        }
        throw new IllegalStateException("not inside the Kiln repository");
    }
}
