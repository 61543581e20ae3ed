package dev.kiln.interpreter.kernels;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each derivative rule of the Gradient op against central finite differences, broadcasting cases included. */
class GradientRulesTest {
    private static Tensor longs(long... values) { return Tensor.ofLongs(DType.I64, new long[] {values.length}, values); }

    @Test
    void addAndSubSumTheGradientOverBroadcastAxes() {
        GradientCheck.op("Add").input(2, 3).input(3).check();
        GradientCheck.op("Add").input(2, 1, 3).input(4, 1).check();
        GradientCheck.op("Sub").input(1).input(2, 3).check();
        GradientCheck.op("Sub").input(2, 1, 3).input(4, 1).check();
    }

    @Test
    void mulAndDivUseTheOtherOperandBroadcast() {
        GradientCheck.op("Mul").input(2, 3).input(2, 1).check();
        GradientCheck.op("Mul").input().input(3, 2).check();
        GradientCheck.op("Div").input(2, 3).positiveInput(3).check();
        GradientCheck.op("Div").input(3).positiveInput(2, 3).check();
    }

    @Test
    void powDifferentiatesBaseAndExponent() {
        GradientCheck.op("Pow").positiveInput(2, 3).constant(Tensor.ofDoubles(DType.F64, new long[] {3}, 2, -1.5, 3)).check();
        GradientCheck.op("Pow").positiveInput(2, 3).input(3).check();
        GradientCheck.op("Pow").positiveInput(2, 3).constant(Tensor.ofLongs(DType.I64, new long[0], 3)).check();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Neg", "Abs", "Relu", "Sigmoid", "Tanh", "Exp", "Identity"})
    void unaryOpsOnAnySign(String op) {
        GradientCheck.op(op).input(2, 3).check();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Log", "Sqrt", "Reciprocal"})
    void unaryOpsOnPositiveInputs(String op) {
        GradientCheck.op(op).positiveInput(2, 3).check();
    }

    @Test
    void matMulOfMatricesAndBroadcastBatches() {
        GradientCheck.op("MatMul").input(2, 3).input(3, 4).check();
        GradientCheck.op("MatMul").input(2, 1, 2, 3).input(3, 3, 4).check();
        GradientCheck.op("MatMul").input(2, 3).input(2, 3, 2).check();
    }

    @Test
    void matMulWithVectors() {
        GradientCheck.op("MatMul").input(3).input(3, 4).check();
        GradientCheck.op("MatMul").input(2, 2, 3).input(3).check();
        GradientCheck.op("MatMul").input(3).input(3).check();
    }

    @Test
    void gemmWithEveryTransposeAndBroadcastC() {
        for (long ta = 0; ta <= 1; ta++) {
            for (long tb = 0; tb <= 1; tb++) {
                GradientCheck.op("Gemm").attr("transA", Attribute.of(ta)).attr("transB", Attribute.of(tb))
                        .attr("alpha", Attribute.of(0.5f)).attr("beta", Attribute.of(-2f))
                        .input(ta == 1 ? new long[] {3, 2} : new long[] {2, 3})
                        .input(tb == 1 ? new long[] {4, 3} : new long[] {3, 4}).input(4).check();
            }
        }
        GradientCheck.op("Gemm").input(2, 3).input(3, 4).input(2, 1).check();
        GradientCheck.op("Gemm").input(2, 3).input(3, 4).input().check();
        GradientCheck.op("Gemm").input(2, 3).input(3, 4).check();
    }

    @Test
    void reduceSumWithAxesInputAttributeAndAll() {
        GradientCheck.op("ReduceSum").opset(13).input(2, 3, 4).constant(longs(-1, 0)).attr("keepdims", Attribute.of(0L)).check();
        GradientCheck.op("ReduceSum").opset(13).input(2, 3, 4).constant(longs(1)).check();
        GradientCheck.op("ReduceSum").opset(13).input(2, 3).check();
        GradientCheck.op("ReduceSum").opset(11).input(2, 3, 4).attr("axes", Attribute.ints(2)).check();
        GradientCheck.op("ReduceSum").opset(13).input(2, 3).constant(Tensor.zeros(DType.I64, 0))
                .attr("noop_with_empty_axes", Attribute.of(1L)).check();
    }

    @Test
    void reduceMeanDividesByTheReducedCount() {
        GradientCheck.op("ReduceMean").opset(18).input(2, 3, 4).constant(longs(0, 2)).attr("keepdims", Attribute.of(0L)).check();
        GradientCheck.op("ReduceMean").opset(13).input(2, 3, 4).attr("axes", Attribute.ints(-2)).check();
        GradientCheck.op("ReduceMean").opset(13).input(2, 3).attr("keepdims", Attribute.of(0L)).check();
    }

    @Test
    void reshapesAndTransposeMoveTheGradientBack() {
        GradientCheck.op("Reshape").input(2, 3, 2).constant(longs(3, -1)).check();
        GradientCheck.op("Flatten").input(2, 3, 2).attr("axis", Attribute.of(2L)).check();
        GradientCheck.op("Squeeze").input(2, 1, 3).constant(longs(1)).check();
        GradientCheck.op("Unsqueeze").input(2, 3).constant(longs(0, 3)).check();
        GradientCheck.op("Transpose").input(2, 3, 4).attr("perm", Attribute.ints(1, 2, 0)).check();
        GradientCheck.op("Transpose").input(2, 3, 4).check();
    }
}
