package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MlKernelsTest {
    private static final String ML = "ai.onnx.ml";

    @Test
    void labelEncoderMapsWithDefault() {
        Tensor y = OneNode.op(ML, "LabelEncoder").opset(4).attr("keys_strings", Attribute.strings(List.of("a", "b")))
                .attr("values_int64s", Attribute.ints(7, 8)).run(Tensor.ofStrings(new long[] {3}, "b", "z", "a"));
        assertArrayEquals(new long[] {8, -1, 7}, y.toLongs());
    }

    @Test
    void arrayFeatureExtractorPicksColumns() {
        Tensor x = Tensor.ofDoubles(DType.F32, new long[] {2, 3}, 0, 1, 2, 3, 4, 5);
        Tensor y = OneNode.op(ML, "ArrayFeatureExtractor").run(x, Tensor.ofLongs(DType.I64, new long[] {2}, 2, 0));
        assertArrayEquals(new double[] {2, 0, 5, 3}, y.toDoubles());
    }

    @Test
    void treeEnsembleSumsLeavesOverTrees() {
        // Two one-split trees on feature 0 (x <= 1 -> leaf a, else leaf b), both writing target 0.
        OneNode trees = OneNode.op(ML, "TreeEnsemble").opset(5).attr("n_targets", Attribute.of(1L))
                .attr("tree_roots", Attribute.ints(0, 1)).attr("nodes_featureids", Attribute.ints(0, 0))
                .attr("nodes_modes", Attribute.of(Tensor.ofLongs(DType.U8, new long[] {2}, 0, 0)))
                .attr("nodes_splits", Attribute.of(Tensor.ofDoubles(DType.F32, new long[] {2}, 1, 1)))
                .attr("nodes_truenodeids", Attribute.ints(0, 2)).attr("nodes_trueleafs", Attribute.ints(1, 1))
                .attr("nodes_falsenodeids", Attribute.ints(1, 3)).attr("nodes_falseleafs", Attribute.ints(1, 1))
                .attr("leaf_targetids", Attribute.ints(0, 0, 0, 0))
                .attr("leaf_weights", Attribute.of(Tensor.ofDoubles(DType.F32, new long[] {4}, 1, 10, 100, 1000)));
        Tensor y = trees.run(Tensor.ofDoubles(DType.F32, new long[] {2, 1}, 0, 5));
        assertArrayEquals(new double[] {101, 1010}, y.toDoubles());
    }

    @Test
    void labelEncoderKeysMustMatchTheInput() {
        assertThrows(InferenceException.class, () -> OneNode.op(ML, "LabelEncoder").opset(4)
                .attr("keys_strings", Attribute.strings(List.of("a"))).attr("values_int64s", Attribute.ints(1))
                .run(Tensor.ofLongs(DType.I64, new long[] {1}, 1)));
    }
}
