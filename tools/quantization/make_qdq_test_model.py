#!/usr/bin/env python3
"""Writes cli/src/test/resources/quant/qdq_conv.onnx: a QDQ-format model as other quantization tools export them.

QuantizeLinear(x) -> DequantizeLinear -> Conv (int8 weights per output channel through DequantizeLinear axis 0,
int32 bias with scale x_scale*w_scale) -> Relu -> QuantizeLinear (zero point -128) -> DequantizeLinear, then a
MaxPool between another Q/DQ pair with the same parameters. Fixed numbers, no randomness; opset 13.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def main():
    x_scale, y_scale = np.float32(1 / 127), np.float32(4 / 255)
    w = (np.arange(4 * 2 * 3 * 3).reshape(4, 2, 3, 3) % 11 - 5).astype(np.int8) * 20
    w_scale = np.array([0.004, 0.002, 0.003, 0.001], dtype=np.float32)
    b_scale = (x_scale * w_scale).astype(np.float32)
    bias = np.array([300, -200, 100, 0], dtype=np.int32)
    inits = [const("x_scale", x_scale), const("x_zp", np.int8(0)), const("y_scale", y_scale), const("y_zp", np.int8(-128)),
             const("w_q", w), const("w_scale", w_scale), const("b_q", bias), const("b_scale", b_scale)]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["x_q"], name="x_quantize"),
        helper.make_node("DequantizeLinear", ["x_q", "x_scale", "x_zp"], ["x_dq"], name="x_dequantize"),
        helper.make_node("DequantizeLinear", ["w_q", "w_scale"], ["w_dq"], name="w_dequantize", axis=0),
        helper.make_node("DequantizeLinear", ["b_q", "b_scale"], ["b_dq"], name="b_dequantize", axis=0),
        helper.make_node("Conv", ["x_dq", "w_dq", "b_dq"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("QuantizeLinear", ["r", "y_scale", "y_zp"], ["r_q"], name="r_quantize"),
        helper.make_node("DequantizeLinear", ["r_q", "y_scale", "y_zp"], ["r_dq"], name="r_dequantize"),
        helper.make_node("MaxPool", ["r_dq"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("QuantizeLinear", ["p", "y_scale", "y_zp"], ["p_q"], name="p_quantize"),
        helper.make_node("DequantizeLinear", ["p_q", "y_scale", "y_zp"], ["y"], name="p_dequantize"),
    ]
    graph = helper.make_graph(nodes, "qdq_conv", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 2, 2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="kiln-test")
    onnx.checker.check_model(model)
    onnx.save(model, "cli/src/test/resources/quant/qdq_conv.onnx")
    x = (np.sin(np.arange(32, dtype=np.float32)) * 0.9).reshape(1, 2, 4, 4).astype(np.float32)
    np.save("cli/src/test/resources/quant/qdq_conv_input.npy", x)


if __name__ == "__main__":
    main()
