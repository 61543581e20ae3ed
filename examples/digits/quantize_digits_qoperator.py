"""Writes digits_cnn_int8.onnx: the digits CNN as ONNX QOperator ops, a small int8 test model for the OpenCL backend.

QuantizeLinear (uint8 image) -> QLinearConv x2 (int8 per-channel weights, int32 bias, ReLU folded into the uint8
output range) -> MaxPool and Flatten on uint8 -> QLinearMatMul (int8 weights) -> DequantizeLinear + float bias and
ReLU -> QuantizeLinear -> QLinearMatMul -> DequantizeLinear + float bias = logits. Activation ranges are calibrated
on samples.npy by a float forward pass in numpy. Deterministic: rerunning reproduces the file on the same versions.

    /usr/bin/python3 examples/digits/quantize_digits_qoperator.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def conv3x3(x, w, b):
    """Conv with 3x3 kernels, stride 1 and pads 1, as the float model has them."""
    n, c, h, wd = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    y = np.zeros((n, w.shape[0], h, wd), dtype=np.float64)
    for kh in range(3):
        for kw in range(3):
            y += np.einsum("nchw,mc->nmhw", padded[:, :, kh:kh + h, kw:kw + wd], w[:, :, kh, kw])
    return y + b[None, :, None, None]


def maxpool2(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def main():
    model = onnx.load(os.path.join(HERE, "digits_cnn.onnx"))
    p = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in model.graph.initializer}
    x = np.load(os.path.join(HERE, "samples.npy")).astype(np.float64)

    a1 = np.maximum(conv3x3(x, p["features.0.weight"], p["features.0.bias"]), 0)
    a2 = np.maximum(conv3x3(a1, p["features.2.weight"], p["features.2.bias"]), 0)
    flat = maxpool2(a2).reshape(len(x), -1)
    m1 = flat @ p["classifier.1.weight"].T
    a3 = np.maximum(m1 + p["classifier.1.bias"], 0)
    m2 = a3 @ p["classifier.3.weight"].T

    inits = []

    def const(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def f32(v):
        return np.float32(v)

    s_in, s1, s2, s3 = f32(1 / 255), f32(a1.max() / 255), f32(a2.max() / 255), f32(a3.max() / 255)
    nodes = [helper.make_node("QuantizeLinear", ["image", const("s_in", s_in), const("z_u8", np.uint8(0))], ["q_in"])]

    def qconv(name, x_in, x_scale, y_scale_name, out):
        w = p[name + ".weight"]
        w_scale = (np.abs(w).reshape(w.shape[0], -1).max(axis=1) / 127).astype(np.float32)
        wq = np.clip(np.rint(w / w_scale[:, None, None, None]), -127, 127).astype(np.int8)
        bq = np.rint(p[name + ".bias"] / (np.float64(x_scale) * w_scale)).astype(np.int32)
        nodes.append(helper.make_node("QLinearConv", [x_in, x_scale_name[x_in], "z_u8", const(name + ".wq", wq),
                                                      const(name + ".ws", w_scale), const(name + ".wz", np.zeros(len(w_scale), np.int8)),
                                                      y_scale_name, "z_u8", const(name + ".bq", bq)], [out],
                                      kernel_shape=[3, 3], pads=[1, 1, 1, 1]))

    def qmatmul(name, x_in, y_maxabs, out):
        wt = p[name + ".weight"].T
        w_scale = f32(np.abs(wt).max() / 127)
        y_scale = f32(y_maxabs / 127)
        nodes.append(helper.make_node("QLinearMatMul", [x_in, x_scale_name[x_in], "z_u8",
                                                        const(name + ".wq", np.clip(np.rint(wt / w_scale), -127, 127).astype(np.int8)),
                                                        const(name + ".ws", w_scale), "z_i8",
                                                        const(name + ".ys", y_scale), "z_i8"], [out]))
        nodes.append(helper.make_node("DequantizeLinear", [out, name + ".ys", "z_i8"], [out + "_f"]))
        nodes.append(helper.make_node("Add", [out + "_f", const(name + ".bias", p[name + ".bias"].astype(np.float32))], [out + "_b"]))
        return out + "_b"

    const("z_i8", np.int8(0))
    x_scale_name = {"q_in": "s_in"}
    qconv("features.0", "q_in", s_in, const("s1", s1), "q_a1")
    x_scale_name["q_a1"] = "s1"
    qconv("features.2", "q_a1", s1, const("s2", s2), "q_a2")
    nodes.append(helper.make_node("MaxPool", ["q_a2"], ["q_pool"], kernel_shape=[2, 2], strides=[2, 2]))
    nodes.append(helper.make_node("Flatten", ["q_pool"], ["q_flat"], axis=1))
    x_scale_name["q_flat"] = "s2"
    h1 = qmatmul("classifier.1", "q_flat", np.abs(m1).max(), "q_m1")
    nodes.append(helper.make_node("Relu", [h1], ["a3"]))
    nodes.append(helper.make_node("QuantizeLinear", ["a3", const("s3", s3), "z_u8"], ["q_a3"]))
    x_scale_name["q_a3"] = "s3"
    logits = qmatmul("classifier.3", "q_a3", np.abs(m2).max(), "q_m2")
    nodes.append(helper.make_node("Identity", [logits], ["logits"]))

    graph = helper.make_graph(nodes, "digits_cnn_int8", [model.graph.input[0]], [model.graph.output[0]], inits)
    out = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="kiln quantize_digits_qoperator.py")
    onnx.checker.check_model(out, full_check=True)
    onnx.save(out, os.path.join(HERE, "digits_cnn_int8.onnx"))


if __name__ == "__main__":
    main()
