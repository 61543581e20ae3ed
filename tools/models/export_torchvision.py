#!/usr/bin/python3
"""Exports torchvision ResNet-18 and MobileNetV2 (random weights) for the fusion passes' real-model test.

Writes into <repo>/target/torchvision/<name>/ (not committed: ResNet-18 is ~45 MB, MobileNetV2 ~14 MB):
  model.onnx     the model, opset 13, batch 1, a 3x128x128 image
  input_0.npy    a random input image (float32)
  output_0.npy   PyTorch's output on it (float32)
for four variants: resnet18 and mobilenet_v2 exported in eval mode (the exporter folds BatchNormalization into the
convolutions), and resnet18_bn and mobilenet_v2_bn exported with training=TrainingMode.PRESERVE from eval mode, which
keeps every BatchNormalization node (inference form) for Kiln's fold-batch-norm to fold.

Weights are torchvision's random initialisation (weights=None) under a fixed seed; BatchNormalization's running
statistics and affine parameters are then randomised too, since their initial values (mean 0, var 1, scale 1,
shift 0) would make folding a no-op.

Run from anywhere:  /usr/bin/python3 tools/models/export_torchvision.py
Needs Debian's python3-torch, python3-torchvision and python3-onnx; no downloads.
"""
from pathlib import Path

import numpy as np
import torch
import torchvision

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "torchvision"
SEED = 0
OPSET = 13
IMAGE = (1, 3, 128, 128)
MODELS = {"resnet18": torchvision.models.resnet18, "mobilenet_v2": torchvision.models.mobilenet_v2}


def build(factory):
    torch.manual_seed(SEED)
    model = factory(weights=None)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
    return model.eval()


def export(name, model, image, training):
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        expected = model(image)
    torch.onnx.export(model, image, str(folder / "model.onnx"), opset_version=OPSET, training=training,
                      do_constant_folding=True, input_names=["image"], output_names=["logits"])
    np.save(folder / "input_0.npy", image.numpy())
    np.save(folder / "output_0.npy", expected.numpy().astype(np.float32))
    print(f"wrote {folder} ({(folder / 'model.onnx').stat().st_size // 1024} KB)")


def main():
    torch.manual_seed(SEED)
    image = torch.randn(*IMAGE)
    for name, factory in MODELS.items():
        model = build(factory)
        export(name, model, image, torch.onnx.TrainingMode.EVAL)
        export(name + "_bn", model, image, torch.onnx.TrainingMode.PRESERVE)


if __name__ == "__main__":
    main()
