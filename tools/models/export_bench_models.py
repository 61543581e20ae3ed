#!/usr/bin/python3
"""Exports the torchvision models of the CPU backend's performance targets at 224x224, batch 1.

Writes into <repo>/target/bench-models/<name>/ (not committed: ResNet-18 alone is ~45 MB):
  model.onnx     the model, opset 13, eval mode (the exporter folds BatchNormalization into the convolutions)
  input_0.npy    a random input image (float32)
  output_0.npy   PyTorch's output on it (float32)
for resnet18, mobilenet_v2 and squeezenet1_1. Weights are torchvision's random initialisation under a fixed seed:
latency does not depend on the values, and there is nothing to download.

Run from anywhere:  /usr/bin/python3 tools/models/export_bench_models.py
Needs Debian's python3-torch, python3-torchvision and python3-onnx.
"""
from pathlib import Path

import numpy as np
import torch
import torchvision

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "bench-models"
SEED = 0
OPSET = 13
IMAGE = (1, 3, 224, 224)
MODELS = {
    "resnet18": torchvision.models.resnet18,
    "mobilenet_v2": torchvision.models.mobilenet_v2,
    "squeezenet1_1": torchvision.models.squeezenet1_1,
}


def main():
    torch.manual_seed(SEED)
    image = torch.randn(*IMAGE)
    for name, factory in MODELS.items():
        torch.manual_seed(SEED)
        model = factory(weights=None).eval()
        folder = OUT / name
        folder.mkdir(parents=True, exist_ok=True)
        with torch.no_grad():
            expected = model(image)
        torch.onnx.export(model, image, str(folder / "model.onnx"), opset_version=OPSET, do_constant_folding=True,
                          input_names=["image"], output_names=["logits"])
        np.save(folder / "input_0.npy", image.numpy())
        np.save(folder / "output_0.npy", expected.numpy().astype(np.float32))
        print(f"wrote {folder} ({(folder / 'model.onnx').stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
