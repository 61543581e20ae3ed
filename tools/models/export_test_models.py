#!/usr/bin/python3
"""Trains and exports the real PyTorch models Kiln must import and run (its end-to-end test corpus).

For each model in SPECS this trains briefly on bundled or synthetic data (fixed seeds, so reruns are repeatable),
switches to eval mode, exports with PyTorch's ONNX exporter, and writes into <repo>/models/<name>/:
  model.onnx       the exported model (dynamic batch axis named 'batch')
  input_K.npy      the K-th graph input (held-out samples), in graph input order
  output_K.npy     PyTorch's K-th output on those inputs, float32, in graph output order
It then rewrites models/README.md from what it exported (ops, opsets, sizes, held-out scores).

Run from anywhere:  /usr/bin/python3 tools/models/export_test_models.py
Needs Debian's python3-torch, python3-sklearn and python3-onnx; no downloads.
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import onnx
import torch
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import train_test_split
from torch import nn

import test_models as tm

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "models"
SEED = 0
SAMPLES = 4
MAX_MODEL_BYTES = 1 << 20
MAX_TOTAL_BYTES = 5 << 20


@dataclass
class Spec:
    name: str
    exercises: str
    opset: int
    build: Callable[["Data"], nn.Module]
    task: str  # which data and loss: digits | rows | iris | denoise
    inputs: list
    outputs: list
    keep_batchnorm: bool = False  # eval export folds BN into Conv; keeping it exercises BatchNormalization
    state_shape: tuple = None  # (layers*directions, hidden) of a recurrent state input/output, batch on axis 1
    steps: int = 400
    lr: float = 3e-3


@dataclass
class Data:
    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    extra: dict = field(default_factory=dict)


def load_task(task):
    if task == "iris":
        iris = load_iris()
        x, y = iris.data.astype(np.float32), iris.target.astype(np.int64)
        tr_x, te_x, tr_y, te_y = train_test_split(x, y, test_size=0.3, random_state=SEED, stratify=y)
        return Data(tr_x, tr_y, te_x, te_y, extra={"mean": tr_x.mean(0), "std": tr_x.std(0)})
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]
    labels = digits.target.astype(np.int64)
    tr_x, te_x, tr_y, te_y = train_test_split(images, labels, test_size=0.25, random_state=SEED, stratify=labels)
    if task == "rows":
        return Data(tr_x[:, 0], tr_y, te_x[:, 0], te_y)
    if task == "denoise":
        noise = np.random.default_rng(SEED)
        noisy = lambda clean: np.clip(clean + noise.normal(0, 0.25, clean.shape), 0, 1).astype(np.float32)
        return Data(noisy(tr_x), tr_x, noisy(te_x), te_x)
    return Data(tr_x, tr_y, te_x, te_y)


def model_args(spec, x):
    if spec.state_shape is None:
        return (x,)
    layers, hidden = spec.state_shape
    return x, torch.zeros(layers, x.shape[0], hidden)


def primary(outputs):
    return outputs[0] if isinstance(outputs, tuple) else outputs


def train(spec, model, data):
    x, y = torch.from_numpy(data.train_x), torch.from_numpy(data.train_y)
    loss_fn = nn.MSELoss() if spec.task == "denoise" else nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=spec.lr)
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    for _ in range(spec.steps):
        idx = torch.randint(len(x), (64,), generator=generator)
        optimizer.zero_grad()
        out = primary(model(*model_args(spec, x[idx])))
        # The MLP ends in softmax (its exported output is probabilities), so train it on log-probabilities.
        loss = nn.functional.nll_loss(torch.log(out + 1e-9), y[idx]) if spec.task == "iris" else loss_fn(out, y[idx])
        loss.backward()
        optimizer.step()
    model.eval()


def score(spec, model, data):
    with torch.no_grad():
        out = primary(model(*model_args(spec, torch.from_numpy(data.test_x)))).numpy()
    if spec.task == "denoise":
        mse = float(((out - data.test_y) ** 2).mean())
        before = float(((data.test_x - data.test_y) ** 2).mean())
        return f"test MSE {mse:.4f} (noisy input {before:.4f})"
    return f"test accuracy {float((out.argmax(1) == data.test_y).mean()):.4f}"


def sample_inputs(spec, model, data):
    x = torch.from_numpy(data.test_x[:SAMPLES].copy())
    if spec.state_shape is None:
        return (x,)
    # A streaming model's state comes from the chunk before: run the next held-out samples from a zero state.
    with torch.no_grad():
        _, state = model(*model_args(spec, torch.from_numpy(data.test_x[SAMPLES:2 * SAMPLES].copy())))
    return x, state.contiguous()


def batch_axes(spec):
    # Recurrent state tensors ('state', 'final_state': [layers*directions, batch, hidden]) carry batch on axis 1.
    axes = {}
    for name in spec.inputs + spec.outputs:
        axes[name] = {1 if name.endswith("state") else 0: "batch"}
    return axes


def export(spec, model, args, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.npy"):
        old.unlink()
    # Expected outputs come from the same (grad-enabled) forward path the exporter traces: with grad off,
    # nn.TransformerEncoderLayer takes a fused fast path whose rounding differs slightly.
    expected = model(*args)
    expected = expected if isinstance(expected, tuple) else (expected,)
    mode = torch.onnx.TrainingMode.PRESERVE if spec.keep_batchnorm else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, args, str(folder / "model.onnx"), opset_version=spec.opset, training=mode,
                      input_names=spec.inputs, output_names=spec.outputs, dynamic_axes=batch_axes(spec))
    for k, a in enumerate(args):
        np.save(folder / f"input_{k}.npy", a.detach().numpy())
    for k, out in enumerate(expected):
        np.save(folder / f"output_{k}.npy", out.detach().numpy().astype(np.float32))


def describe(folder):
    model = onnx.load(str(folder / "model.onnx"))
    onnx.checker.check_model(model)
    ops = sorted({n.op_type for n in model.graph.node})
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    shapes = lambda values: ", ".join(
        f"{v.name} [" + ",".join(d.dim_param or str(d.dim_value) for d in v.type.tensor_type.shape.dim) + "]"
        for v in values)
    return ops, opset, shapes(model.graph.input), shapes(model.graph.output)


SPECS = [
    Spec("mlp", "Gemm layers, constant Sub/Div standardisation, Tanh, Softmax", 13,
         lambda d: tm.Mlp(d.extra["mean"], d.extra["std"]), "iris", ["features"], ["probabilities"]),
    Spec("cnn_bn", "Conv + BatchNormalization (kept, not folded) + ReLU, MaxPool, AveragePool after an all-zero Pad", 13,
         lambda d: tm.CnnBn(), "digits", ["image"], ["logits"], keep_batchnorm=True),
    Spec("resnet", "residual blocks with BN, strided 1x1 projection shortcut, global average pooling", 13,
         lambda d: tm.ResNet(), "digits", ["image"], ["logits"], keep_batchnorm=True),
    Spec("mobilenet", "depthwise (grouped) convs, ReLU6 as Clip, inverted residuals; BN folded into Conv by "
         "the default eval export", 11, lambda d: tm.MobileNet(), "digits", ["image"], ["logits"]),
    Spec("lstm", "LSTM over rows (batch_first Transposes), zero initial state built from Shape, last step by Gather; "
         "opset 11 (attribute-form Squeeze)",
         11, lambda d: tm.LstmClassifier(), "rows", ["rows"], ["logits"], steps=1000),
    Spec("gru", "bidirectional GRU with an initial state input, two outputs (logits and final state)", 14,
         lambda d: tm.GruClassifier(), "rows", ["rows", "state"], ["logits", "final_state"], state_shape=(2, 24),
         steps=600),
    Spec("transformer", "2-layer TransformerEncoder (d_model 32, 4 heads): attention MatMuls, Softmax, "
         "LayerNormalization (opset 17), GELU as Erf, ReduceMean", 17, lambda d: tm.TransformerClassifier(),
         "rows", ["rows"], ["logits"], steps=600, lr=2e-3),
    Spec("unet", "U-Net denoiser: MaxPool down, ConvTranspose up, skip Concat, Sigmoid", 13,
         lambda d: tm.UNet(), "denoise", ["noisy"], ["clean"], steps=600),
]


def write_readme(rows):
    lines = [
        "# Exported test models",
        "",
        "Real PyTorch models, each trained briefly (fixed seeds) on scikit-learn's bundled digits or iris data,",
        "exported in eval mode with PyTorch's ONNX exporter (torch 1.13). Kiln must import and run every one;",
        "`cli/src/test/java/dev/kiln/models/ExportedModelsTest.java` checks its outputs against PyTorch's.",
        "",
        "Each folder holds `model.onnx`, `input_K.npy` (the K-th graph input: 4 held-out samples) and",
        "`output_K.npy` (PyTorch's K-th output on them, float32). Every model has a dynamic batch axis `batch`.",
        "",
        "| model | what it exercises | opset | ONNX ops | inputs → outputs | size | held-out score |",
        "|---|---|---|---|---|---|---|",
    ]
    for spec, ops, opset, ins, outs, size, result in rows:
        lines.append(f"| `{spec.name}` | {spec.exercises} | {opset} | {', '.join(ops)} | {ins} → {outs} | "
                     f"{size / 1024:.0f} KB | {result} |")
    lines += [
        "",
        "## Regenerating",
        "",
        "Needs Debian's `python3-torch`, `python3-sklearn` and `python3-onnx` (no downloads):",
        "",
        "    /usr/bin/python3 tools/models/export_test_models.py",
        "",
        "It rewrites every folder and this README (the table is generated: edit the script, not the table).",
        "The model code is in `tools/models/test_models.py`.",
        "",
        "Hand-converted scikit-learn models for the ai.onnx.ml ops are in `ml/`, with their own README and",
        "test (`MlModelsTest`); `ml/` itself holds no `model.onnx`, so `ExportedModelsTest` passes it by.",
        "",
    ]
    (OUT / "README.md").write_text("\n".join(lines))


def main():
    torch.set_num_threads(1)  # single-threaded CPU kernels keep reruns bit-for-bit repeatable
    rows, total = [], 0
    for spec in SPECS:
        torch.manual_seed(SEED)
        data = load_task(spec.task)
        model = spec.build(data)
        train(spec, model, data)
        result = score(spec, model, data)
        folder = OUT / spec.name
        export(spec, model, sample_inputs(spec, model, data), folder)
        size = (folder / "model.onnx").stat().st_size
        if size > MAX_MODEL_BYTES:
            raise SystemExit(f"{spec.name}: model.onnx is {size} bytes, over the {MAX_MODEL_BYTES} limit")
        total += sum(f.stat().st_size for f in folder.iterdir())
        ops, opset, ins, outs = describe(folder)
        rows.append((spec, ops, opset, ins, outs, size, result))
        print(f"{spec.name}: {result}; opset {opset}; {size} bytes; ops {' '.join(ops)}")
    if total > MAX_TOTAL_BYTES:
        raise SystemExit(f"models total {total} bytes, over the {MAX_TOTAL_BYTES} limit")
    write_readme(rows)


if __name__ == "__main__":
    main()
