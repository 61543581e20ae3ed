package dev.kiln.cli.conformance;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LightInputsTest {
    private static Graph withInput(Value input) {
        return new Graph("g", List.of(input), List.of(), List.of(), Map.of(), Map.of("", 13));
    }

    @Test
    void fillsTheDeclaredShapeWithARampOverTheElementCount() {
        Value x = new Value("x", new TensorType(DType.F32, Shape.of(List.of(Dim.symbolic("N"), Dim.of(2), Dim.of(3)))));
        Tensor t = (Tensor) LightInputs.generate(withInput(x)).get("x");
        assertArrayEquals(new long[] {1, 2, 3}, t.shape(), "a dim without a fixed size is 1");
        assertArrayEquals(new float[] {0f, (float) (1.0 / 6), (float) (2.0 / 6), 0.5f, (float) (4.0 / 6), (float) (5.0 / 6)}, t.toFloats());
    }

    @Test
    void roundsTheDoubleQuotientToFloatAsNumPyDoes() {
        Tensor t = LightInputs.ramp(new long[] {1, 3, 224, 224});
        int n = 3 * 224 * 224;
        for (int i : new int[] {1, 12345, n - 1}) assertArrayEquals(new float[] {(float) ((double) i / n)}, new float[] {(float) t.getDouble(i)});
    }

    @Test
    void onlyFloatTensorInputsCanBeGenerated() {
        Value ids = new Value("ids", TensorType.of(DType.I64, 4));
        assertThrows(KilnException.class, () -> LightInputs.generate(withInput(ids)));
    }
}
