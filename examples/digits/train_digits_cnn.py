#!/usr/bin/python3
"""Trains Kiln's example model: a small CNN on scikit-learn's bundled 8x8 digits, exported to ONNX.

Writes, next to this script:
  digits_cnn.onnx       the model: input 'image' f32 [batch,1,8,8] in [0,1], output 'logits' f32 [batch,10]
  samples.npy           16 held-out images, f32 [16,1,8,8]
  labels.npy            their true classes, int64 [16]
  expected_logits.npy   PyTorch's logits on those samples, f32 [16,10]

Needs Debian's python3-torch, python3-sklearn and python3-onnx; no downloads (the digits ship with sklearn).
"""
from pathlib import Path

import numpy as np
import onnx
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

HERE = Path(__file__).resolve().parent
SEED = 0
OPSET = 13


class DigitsCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),  # 8x8 -> 4x4
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, 32), nn.ReLU(), nn.Linear(32, 10))

    def forward(self, image):
        return self.classifier(self.features(image))


def load_split():
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    return train_test_split(images, labels, test_size=0.25, random_state=SEED, stratify=labels)


def train(model, x_train, y_train, epochs=30, batch=64):
    x, y = torch.from_numpy(x_train), torch.from_numpy(y_train)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            optimizer.step()


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # single-threaded CPU kernels keep reruns bit-for-bit repeatable
    x_train, x_test, y_train, y_test = load_split()
    model = DigitsCnn()
    train(model, x_train, y_train)
    model.eval()
    with torch.no_grad():
        predicted = model(torch.from_numpy(x_test)).argmax(1).numpy()
    accuracy = float((predicted == y_test).mean())
    print(f"test accuracy: {accuracy:.4f} ({(predicted == y_test).sum()}/{len(y_test)} held-out images)")
    if accuracy < 0.95:
        raise SystemExit("accuracy below 95%: not exporting")

    samples, labels = x_test[:16].copy(), y_test[:16].copy()
    with torch.no_grad():
        expected = model(torch.from_numpy(samples)).numpy().astype(np.float32)
    onnx_path = HERE / "digits_cnn.onnx"
    torch.onnx.export(model, torch.from_numpy(samples), str(onnx_path), opset_version=OPSET,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    onnx.checker.check_model(onnx.load(str(onnx_path)))
    np.save(HERE / "samples.npy", samples)
    np.save(HERE / "labels.npy", labels)
    np.save(HERE / "expected_logits.npy", expected)
    print(f"wrote {onnx_path.name} ({onnx_path.stat().st_size} bytes); samples predicted right: "
          f"{int((expected.argmax(1) == labels).sum())}/16")


if __name__ == "__main__":
    main()
