package dev.kiln.cli.matrix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TestOpGroupingTest {
    private final TestOpGrouping grouping = TestOpGrouping.standard();

    @Test
    void theLongestOperatorNameWins() {
        assertEquals("ReduceSumSquare", grouping.opOf("test_reduce_sum_square_default_axes_keepdims_example"));
        assertEquals("ReduceSum", grouping.opOf("test_reduce_sum_keepdims_random"));
        assertEquals("CastLike", grouping.opOf("test_castlike_FLOAT_to_DOUBLE_expanded"));
        assertEquals("Cast", grouping.opOf("test_cast_FLOAT_to_DOUBLE"));
        assertEquals("ConstantOfShape", grouping.opOf("test_constantofshape_int_zeros"));
        assertEquals("Identity", grouping.opOf("test_identity_sequence"));
        assertEquals("If", grouping.opOf("test_if_seq"));
        assertEquals("And", grouping.opOf("test_and_bcast3v1d"));
    }

    @Test
    void namesMatchIgnoringCase() {
        assertEquals("LeakyRelu", grouping.opOf("test_LeakyReLU_with_negval"));
        assertEquals("Conv", grouping.opOf("test_Conv2d_depthwise"));
    }

    @Test
    void domainsAndTestsNamedOtherwise() {
        assertEquals("ai.onnx.ml:LabelEncoder", grouping.opOf("test_ai_onnx_ml_label_encoder_string_int"));
        assertEquals("ai.onnx.preview.training:Adagrad", grouping.opOf("test_adagrad_multiple"));
        assertEquals("LessOrEqual", grouping.opOf("test_less_equal_bcast"));
        assertEquals("Less", grouping.opOf("test_less_bcast"));
        assertEquals("Pad", grouping.opOf("test_constant_pad_axes"));
        assertEquals("Constant", grouping.opOf("test_constant"));
        assertEquals("SoftmaxCrossEntropyLoss", grouping.opOf("test_sce_mean_weight_ii_3d"));
        assertEquals("Trilu", grouping.opOf("test_triu_one_row"));
        assertEquals("BatchNormalization", grouping.opOf("test_batchnorm_epsilon"));
    }

    @Test
    void modelTestsAreNamedForNoOperator() {
        assertNull(grouping.opOf("test_AvgPool1d"));
        assertNull(grouping.opOf("light_resnet50"));
        assertNull(grouping.opOf("test_operator_add_broadcast"));
    }
}
