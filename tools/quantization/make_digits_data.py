#!/usr/bin/env python3
"""Calibration and evaluation data for the int8 measurements on the digits models (docs/quantization.md).

The split is the one examples/digits/train_digits_cnn.py and tools/models/export_test_models.py train with
(sklearn's bundled digits, test_size=0.25, random_state=0, stratified), so the evaluation set is held out for the
digits CNN and the models/ digits models alike. Writes into OUT_DIR (default: target/quantization-data):
  calibration.npy   f32 [N,1,8,8]  the first N training images (default 256)
  test_inputs.npy   f32 [450,1,8,8] every held-out image
  test_labels.npy   i64 [450]       their digits
  test_rows.npy     f32 [450,8,8]   the same images as sequences of 8 rows (models/lstm, models/gru)
Nothing is downloaded: the digits ship with scikit-learn.
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target/quantization-data"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    x_train, x_test, _, y_test = train_test_split(images, labels, test_size=0.25, random_state=0, stratify=labels)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "calibration.npy"), np.ascontiguousarray(x_train[:count]))
    np.save(os.path.join(out, "test_inputs.npy"), np.ascontiguousarray(x_test))
    np.save(os.path.join(out, "test_labels.npy"), y_test)
    np.save(os.path.join(out, "test_rows.npy"), np.ascontiguousarray(x_test[:, 0]))
    print(f"wrote {out}: calibration {x_train[:count].shape}, test {x_test.shape}, labels {y_test.shape}")


if __name__ == "__main__":
    main()
