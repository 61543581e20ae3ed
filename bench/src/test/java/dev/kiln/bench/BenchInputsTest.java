package dev.kiln.bench;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchInputsTest {
    private final Graph digits = Kiln.load(RepoFiles.digitsModel()).graph(); // image: f32[batch,1,8,8]

    @Test
    void randomFeedsBindTheSymbolicBatchAndDifferFromEachOther() {
        BenchInputs inputs = BenchInputs.random(digits, 4, 1);
        assertEquals(BenchInputs.RANDOM_FEEDS, inputs.feeds().size());
        Tensor first = inputs.feeds().get(0).get("image");
        assertArrayEquals(new long[] {4, 1, 8, 8}, first.shape());
        assertNotEquals(first.contentHash(), inputs.feeds().get(1).get("image").contentHash());
        assertEquals(first.contentHash(), BenchInputs.random(digits, 4, 1).feeds().get(0).get("image").contentHash());
        for (double v : first.toDoubles()) assertTrue(v >= -1 && v < 1);
    }

    @Test
    void theBatchSymbolBindsAtEveryAxisItAppears() {
        Graph gru = Kiln.load(RepoFiles.root().resolve("models/gru/model.onnx")).graph(); // rows [batch,8,8], state [2,batch,24]
        var feed = BenchInputs.random(gru, 3, 1).feeds().get(0);
        assertArrayEquals(new long[] {3, 8, 8}, feed.get("rows").shape());
        assertArrayEquals(new long[] {2, 3, 24}, feed.get("state").shape());
    }

    @Test
    void samplesAreCutIntoWholeBatchesWithTheirLabels() {
        Tensor samples = Tensor.zeros(dev.kiln.ir.DType.F32, 5, 1, 8, 8);
        for (int i = 0; i < samples.size(); i++) samples.setDouble(i, i / 64);
        Tensor labels = Tensor.ofLongs(dev.kiln.ir.DType.I64, new long[] {5}, 0, 1, 2, 3, 4);
        BenchInputs inputs = BenchInputs.fromSamples(digits, samples, labels, 2, "s.npy");
        assertEquals(2, inputs.feeds().size()); // the fifth sample does not fill a batch
        assertEquals(2, inputs.feeds().get(1).get("image").getDouble(0));
        assertEquals(3, inputs.feeds().get(1).get("image").getDouble(64));
        assertArrayEquals(new long[] {2, 3}, inputs.labels(1));
    }

    @Test
    void mismatchesAreClearErrors() {
        Tensor wrong = Tensor.zeros(dev.kiln.ir.DType.F32, 4, 3, 8, 8);
        var e = assertThrows(KilnException.class, () -> BenchInputs.fromSamples(digits, wrong, null, 1, "s.npy"));
        assertTrue(e.getMessage().contains("do not fit input 'image'"), e.getMessage());
        Tensor few = Tensor.zeros(dev.kiln.ir.DType.F32, 1, 1, 8, 8);
        assertThrows(KilnException.class, () -> BenchInputs.fromSamples(digits, few, null, 2, "s.npy"));
        Tensor labels = Tensor.ofLongs(dev.kiln.ir.DType.I64, new long[] {3}, 0, 1, 2);
        assertThrows(KilnException.class, () -> BenchInputs.fromSamples(digits, Tensor.zeros(dev.kiln.ir.DType.F32, 4, 1, 8, 8), labels, 1, "s.npy"));
    }
}
