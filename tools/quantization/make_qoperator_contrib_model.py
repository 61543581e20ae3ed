#!/usr/bin/env python3
"""Writes cli/src/test/resources/quant/qoperator_contrib.onnx: ONNX Runtime's com.microsoft QOperator ops as ORT's
quantizer emits them, with the input and the outputs numpy computes for it.

QuantizeLinear(x) twice (two uint8 quantizations) -> com.microsoft QLinearAdd -> QLinearAveragePool (2x2, stride 2)
and QLinearConcat (the sum and the first quantization, axis 1) -> QLinearGlobalAveragePool -> DequantizeLinear.
Inputs in ORT's order (QLinearConcat: Y_scale, Y_zero_point, then X, X_scale, X_zero_point per input). The expected
outputs are the ops' documented meaning, "dequantize, the float op, quantize", in float32 as QuantizeLinear and
DequantizeLinear compute (pool sums in float64, exact for these few values); fixed numbers, opsets 13 and com.microsoft 1.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F = np.float32
S1, Z1, S2, Z2, S3, Z3, S4, Z4, S5, Z5 = F(1 / 64), 128, F(1 / 32), 100, F(3 / 128), 120, F(1 / 50), 110, F(1 / 40), 90


def quantize(x, s, z):
    return np.clip(np.rint((x / s).astype(F)) + z, 0, 255).astype(np.uint8)


def dequantize(q, s, z):
    return ((q.astype(np.int32) - z).astype(F) * s).astype(F)


def main():
    c = lambda name, v: numpy_helper.from_array(np.asarray(v), name)
    inits = [c("s1", S1), c("z1", np.uint8(Z1)), c("s2", S2), c("z2", np.uint8(Z2)), c("s3", S3), c("z3", np.uint8(Z3)),
             c("s4", S4), c("z4", np.uint8(Z4)), c("s5", S5), c("z5", np.uint8(Z5))]
    ms = "com.microsoft"
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s1", "z1"], ["xq"], name="x_quantize"),
        helper.make_node("QuantizeLinear", ["x", "s2", "z2"], ["x2q"], name="x2_quantize"),
        helper.make_node("QLinearAdd", ["xq", "s1", "z1", "x2q", "s2", "z2", "s3", "z3"], ["aq"], name="add", domain=ms),
        helper.make_node("QLinearAveragePool", ["aq", "s3", "z3", "s4", "z4"], ["pq"], name="pool", domain=ms,
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("QLinearConcat", ["s3", "z3", "aq", "s3", "z3", "xq", "s1", "z1"], ["cq"], name="concat", domain=ms, axis=1),
        helper.make_node("QLinearGlobalAveragePool", ["cq", "s3", "z3", "s5", "z5"], ["gq"], name="gap", domain=ms, channels_last=0),
        helper.make_node("DequantizeLinear", ["pq", "s4", "z4"], ["p"], name="p_dequantize"),
        helper.make_node("DequantizeLinear", ["gq", "s5", "z5"], ["g"], name="g_dequantize"),
    ]
    graph = helper.make_graph(nodes, "qoperator_contrib", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])],
                              [helper.make_tensor_value_info("p", TensorProto.FLOAT, [1, 2, 2, 2]),
                               helper.make_tensor_value_info("g", TensorProto.FLOAT, [1, 4, 1, 1])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid(ms, 1)], producer_name="kiln-test")
    onnx.save(model, "cli/src/test/resources/quant/qoperator_contrib.onnx")

    x = (np.sin(np.arange(32, dtype=F) * 0.7) * 1.9).reshape(1, 2, 4, 4).astype(F)
    xq, x2q = quantize(x, S1, Z1), quantize(x, S2, Z2)
    aq = quantize((dequantize(xq, S1, Z1) + dequantize(x2q, S2, Z2)).astype(F), S3, Z3)
    a = dequantize(aq, S3, Z3).astype(np.float64)
    pooled = a.reshape(1, 2, 2, 2, 2, 2).sum(axis=(3, 5)) / 4
    pq = quantize(pooled.astype(F), S4, Z4)
    cq = quantize(np.concatenate([dequantize(aq, S3, Z3), dequantize(xq, S1, Z1)], axis=1), S3, Z3)
    gq = quantize((dequantize(cq, S3, Z3).astype(np.float64).sum(axis=(2, 3), keepdims=True) / 16).astype(F), S5, Z5)
    np.save("cli/src/test/resources/quant/qoperator_contrib_input.npy", x)
    np.save("cli/src/test/resources/quant/qoperator_contrib_p.npy", dequantize(pq, S4, Z4))
    np.save("cli/src/test/resources/quant/qoperator_contrib_g.npy", dequantize(gq, S5, Z5))


if __name__ == "__main__":
    main()
