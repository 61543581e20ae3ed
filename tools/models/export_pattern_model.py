#!/usr/bin/python3
"""Exports a tiny transformer block whose LayerNorm, GELU (Erf and Tanh forms), Softmax and attention are written out
by hand, at opset 13, so that the graph holds the decomposed forms older exporters produce (PyTorch before 1.13
exports nn.LayerNorm that way too). passes/src/test/java/dev/kiln/passes/PatternModelsTest.java runs recognize-patterns
and fuse-elementwise on it and checks the outputs against the unoptimized graph's.

Writes tools/models/patterns_opset13.onnx (random weights, fixed seed; input 'x' [2,5,16] → output 'y' [2,5,16]).
Run from anywhere:  /usr/bin/python3 tools/models/export_pattern_model.py   (needs Debian's python3-torch)
"""
import math
from pathlib import Path

import torch
from torch import nn


class HandLayerNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.gamma = nn.Parameter(torch.randn(d))
        self.beta = nn.Parameter(torch.randn(d))

    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        d = x - mean
        var = d.pow(2).mean(-1, keepdim=True)
        return d / torch.sqrt(var + 1e-5) * self.gamma + self.beta


def gelu_erf(x):
    return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


def softmax(x):
    e = torch.exp(x - x.max(-1, keepdim=True)[0])
    return e / e.sum(-1, keepdim=True)


class Block(nn.Module):
    def __init__(self, d=16, heads=2, seq=5):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln1 = HandLayerNorm(d)
        self.ln2 = HandLayerNorm(d)
        self.up = nn.Linear(d, 2 * d)
        self.down = nn.Linear(2 * d, d)
        self.up2 = nn.Linear(d, d)
        self.register_buffer("mask", torch.triu(torch.full((seq, seq), -1e4), diagonal=1))

    def forward(self, x):
        b, s, d = x.shape
        h = self.ln1(x)
        q, k, v = self.qkv(h).split(d, dim=-1)
        q, k, v = (t.reshape(b, s, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(d // self.heads) + self.mask
        att = torch.matmul(softmax(scores), v)
        x = x + self.out(att.transpose(1, 2).reshape(b, s, d))
        h = self.ln2(x)
        return x + self.down(gelu_erf(self.up(h))) + gelu_tanh(self.up2(h))


def main():
    torch.manual_seed(0)
    model = Block().eval()
    path = Path(__file__).resolve().parent / "patterns_opset13.onnx"
    torch.onnx.export(model, torch.randn(2, 5, 16), str(path), opset_version=13, input_names=["x"], output_names=["y"],
                      do_constant_folding=True)
    print("wrote", path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
