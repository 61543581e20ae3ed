#!/usr/bin/env python3
"""Deterministic image inputs for the int8 measurements on the exported torchvision models (docs/quantization.md).

Crops of scikit-learn's two bundled sample photographs (china.jpg, flower.jpg; nothing is downloaded), resized to
SIZE x SIZE on a fixed grid of positions and scales, ImageNet-normalized, NCHW float32. Writes into OUT_DIR:
  calibration.npy  f32 [CAL,3,SIZE,SIZE]  crops on one grid
  test_inputs.npy  f32 [TEST,3,SIZE,SIZE] crops on a grid shifted by half a step, so no crop is in both
Usage: make_image_crops.py OUT_DIR [SIZE=128] [CAL=8] [TEST=16]
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_sample_images

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)[:, None, None]
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)[:, None, None]


def crops(images, count, size, shift):
    out = []
    for k in range(count):
        image = images[k % len(images)]
        h, w, _ = image.shape
        side = int(min(h, w) * (0.45 + 0.5 * ((k * 0.37 + shift) % 1.0)))
        y = int((h - side) * ((k * 0.61 + shift) % 1.0))
        x = int((w - side) * ((k * 0.29 + shift) % 1.0))
        patch = torch.from_numpy(np.ascontiguousarray(image[y:y + side, x:x + side].transpose(2, 0, 1))).float()[None] / 255.0
        patch = F.interpolate(patch, size=(size, size), mode="bilinear", align_corners=False)[0].numpy()
        out.append((patch - MEAN) / STD)
    return np.stack(out).astype(np.float32)


def main():
    out = sys.argv[1]
    size, cal, test = (int(a) for a in (sys.argv[2:] + ["128", "8", "16"][len(sys.argv) - 2:])[:3])
    images = load_sample_images().images
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "calibration.npy"), crops(images, cal, size, 0.0))
    np.save(os.path.join(out, "test_inputs.npy"), crops(images, test, size, 0.5))
    print(f"wrote {out}: calibration [{cal},3,{size},{size}], test [{test},3,{size},{size}]")


if __name__ == "__main__":
    main()
