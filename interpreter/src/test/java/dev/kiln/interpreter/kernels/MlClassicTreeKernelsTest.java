package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MlClassicTreeKernelsTest {
    private static final String ML = "ai.onnx.ml";

    private static Tensor column(double... v) { return Tensor.ofDoubles(DType.F32, new long[] {v.length, 1}, v); }

    private static Attribute doubles(double... v) { return Attribute.of(Tensor.ofDoubles(DType.F64, new long[] {v.length}, v)); }

    /** One tree: node 0 compares feature 0 with 1.0 by {@code mode}; leaf 1 (true) votes 1, leaf 2 (false) votes 2. */
    private static OneNode oneSplit(String mode) {
        return OneNode.op(ML, "TreeEnsembleRegressor").attr("n_targets", Attribute.of(1L))
                .attr("nodes_nodeids", Attribute.ints(0, 1, 2)).attr("nodes_treeids", Attribute.ints(0, 0, 0))
                .attr("nodes_featureids", Attribute.ints(0, 0, 0))
                .attr("nodes_modes", Attribute.strings(List.of(mode, "LEAF", "LEAF")))
                .attr("nodes_values", Attribute.floats(1, 0, 0)).attr("nodes_truenodeids", Attribute.ints(1, 0, 0))
                .attr("nodes_falsenodeids", Attribute.ints(2, 0, 0)).attr("target_ids", Attribute.ints(0, 0))
                .attr("target_nodeids", Attribute.ints(1, 2)).attr("target_treeids", Attribute.ints(0, 0))
                .attr("target_weights", Attribute.floats(1, 2));
    }

    private static double[] belowAtAbove(String mode) { return oneSplit(mode).run(column(0, 1, 2)).toDoubles(); }

    @Test
    void everyBranchModeComparesFeatureWithThreshold() {
        assertArrayEquals(new double[] {1, 1, 2}, belowAtAbove("BRANCH_LEQ"));
        assertArrayEquals(new double[] {1, 2, 2}, belowAtAbove("BRANCH_LT"));
        assertArrayEquals(new double[] {2, 1, 1}, belowAtAbove("BRANCH_GTE"));
        assertArrayEquals(new double[] {2, 2, 1}, belowAtAbove("BRANCH_GT"));
        assertArrayEquals(new double[] {2, 1, 2}, belowAtAbove("BRANCH_EQ"));
        assertArrayEquals(new double[] {1, 2, 1}, belowAtAbove("BRANCH_NEQ"));
    }

    @Test
    void missingValuesFollowTheirTrackingFlag() {
        assertArrayEquals(new double[] {2}, oneSplit("BRANCH_NEQ").run(column(Double.NaN)).toDoubles(), "untracked NaN goes false");
        assertArrayEquals(new double[] {1}, oneSplit("BRANCH_GT").attr("nodes_missing_value_tracks_true", Attribute.ints(1, 0, 0))
                .run(column(Double.NaN)).toDoubles());
    }

    /** Two single-leaf trees voting 3 and 5 for target 0 (target 1 gets no vote), base values [10, 20]. */
    private static OneNode twoLeaves(String aggregate) {
        return OneNode.op(ML, "TreeEnsembleRegressor").attr("n_targets", Attribute.of(2L))
                .attr("aggregate_function", Attribute.of(aggregate)).attr("nodes_nodeids", Attribute.ints(0, 0))
                .attr("nodes_treeids", Attribute.ints(0, 1)).attr("nodes_featureids", Attribute.ints(0, 0))
                .attr("nodes_modes", Attribute.strings(List.of("LEAF", "LEAF"))).attr("nodes_values_as_tensor", doubles(0, 0))
                .attr("nodes_truenodeids", Attribute.ints(0, 0)).attr("nodes_falsenodeids", Attribute.ints(0, 0))
                .attr("target_ids", Attribute.ints(0, 0)).attr("target_nodeids", Attribute.ints(0, 0))
                .attr("target_treeids", Attribute.ints(0, 1)).attr("target_weights_as_tensor", doubles(3, 5))
                .attr("base_values", Attribute.floats(10, 20));
    }

    @Test
    void aggregatesThenAddsBaseValues() {
        Tensor x = column(0);
        assertArrayEquals(new double[] {18, 20}, twoLeaves("SUM").run(x).toDoubles());
        assertArrayEquals(new double[] {14, 20}, twoLeaves("AVERAGE").run(x).toDoubles());
        assertArrayEquals(new double[] {13, 20}, twoLeaves("MIN").run(x).toDoubles());
        assertArrayEquals(new double[] {15, 20}, twoLeaves("MAX").run(x).toDoubles());
    }

    private static double[] transformed(String post, double first, double second) {
        return twoLeaves("SUM").attr("target_weights_as_tensor", doubles(first, 0)).attr("base_values", Attribute.floats(0, (float) second))
                .attr("post_transform", Attribute.of(post)).run(column(0)).toDoubles();
    }

    @Test
    void postTransformsApplyToEachRowOfTargets() {
        assertArrayEquals(new double[] {0.5, 0.75}, transformed("LOGISTIC", 0, Math.log(3)), 1e-7);
        assertArrayEquals(new double[] {0.25, 0.75}, transformed("SOFTMAX", 0, Math.log(3)), 1e-7);
        assertArrayEquals(new double[] {0, 1}, transformed("SOFTMAX_ZERO", 0, Math.log(3)), 1e-7);
        assertArrayEquals(new double[] {0, 1.959964}, transformed("PROBIT", 0.5, 0.975), 1e-5);
    }

    @Test
    void regressorRejectsUnknownAggregates() {
        assertThrows(InferenceException.class, () -> twoLeaves("MEDIAN").run(column(0)));
    }

    /** One split on feature 0 at 0: leaf 1 (x <= 0) votes {@code below}, leaf 2 votes {@code above}, all for class 0. */
    private static OneNode binary(long[] labels, double below, double above) {
        return OneNode.op(ML, "TreeEnsembleClassifier").outputs(2).attr("classlabels_int64s", Attribute.ints(labels))
                .attr("nodes_nodeids", Attribute.ints(0, 1, 2)).attr("nodes_treeids", Attribute.ints(0, 0, 0))
                .attr("nodes_featureids", Attribute.ints(0, 0, 0))
                .attr("nodes_modes", Attribute.strings(List.of("BRANCH_LEQ", "LEAF", "LEAF")))
                .attr("nodes_values", Attribute.floats(0, 0, 0)).attr("nodes_truenodeids", Attribute.ints(1, 0, 0))
                .attr("nodes_falsenodeids", Attribute.ints(2, 0, 0)).attr("class_ids", Attribute.ints(0, 0))
                .attr("class_nodeids", Attribute.ints(1, 2)).attr("class_treeids", Attribute.ints(0, 0))
                .attr("class_weights_as_tensor", doubles(below, above));
    }

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    @Test
    void binaryClassifierScoresOneClassAsTwoColumns() {
        List<RuntimeValue> logistic = binary(new long[] {0, 1}, -2, 2).attr("post_transform", Attribute.of("LOGISTIC"))
                .runValues(column(-1, 1));
        assertArrayEquals(new long[] {0, 1}, ((Tensor) logistic.get(0)).toLongs());
        assertArrayEquals(new double[] {sigmoid(2), sigmoid(-2), sigmoid(-2), sigmoid(2)}, ((Tensor) logistic.get(1)).toDoubles(), 1e-7);
        List<RuntimeValue> oneLabel = binary(new long[] {1}, 0.2, 0.7).runValues(column(-1, 1));
        assertArrayEquals(new long[] {0, 1}, ((Tensor) oneLabel.get(0)).toLongs());
        assertArrayEquals(new double[] {0.8, 0.2, 0.3, 0.7}, ((Tensor) oneLabel.get(1)).toDoubles(), 1e-7);
    }

    @Test
    void multiclassAddsBaseValuesBeforeSoftmax() {
        // One leaf voting ln 2 for class 1, base values [0, 0, ln 3]: softmax of [0, ln 2, ln 3] = [1/6, 2/6, 3/6].
        List<RuntimeValue> out = OneNode.op(ML, "TreeEnsembleClassifier").outputs(2)
                .attr("classlabels_strings", Attribute.strings(List.of("a", "b", "c")))
                .attr("nodes_nodeids", Attribute.ints(0)).attr("nodes_treeids", Attribute.ints(0))
                .attr("nodes_featureids", Attribute.ints(0)).attr("nodes_modes", Attribute.strings(List.of("LEAF")))
                .attr("nodes_values", Attribute.floats(0)).attr("nodes_truenodeids", Attribute.ints(0))
                .attr("nodes_falsenodeids", Attribute.ints(0)).attr("class_ids", Attribute.ints(1))
                .attr("class_nodeids", Attribute.ints(0)).attr("class_treeids", Attribute.ints(0))
                .attr("class_weights_as_tensor", doubles(Math.log(2))).attr("base_values_as_tensor", doubles(0, 0, Math.log(3)))
                .attr("post_transform", Attribute.of("SOFTMAX")).runValues(column(5));
        assertArrayEquals(new String[] {"c"}, ((Tensor) out.get(0)).toStrings());
        assertArrayEquals(new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0}, ((Tensor) out.get(1)).toDoubles(), 1e-7);
    }

    @Test
    void classIdsMustNameALabel() {
        assertThrows(InferenceException.class, () -> binary(new long[] {0, 1}, 1, 2).attr("class_ids", Attribute.ints(0, 2))
                .runValues(column(0)));
    }

    @Test
    void childIdsMustNameANodeOfTheSameTree() {
        KilnException e = assertThrows(KilnException.class, () -> oneSplit("BRANCH_LEQ")
                .attr("nodes_falsenodeids", Attribute.ints(7, 0, 0)).run(column(0)));
        assertTrue(e.getMessage().contains("tree 0 has no node 7"), e.getMessage());
    }
}
