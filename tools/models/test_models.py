"""The PyTorch modules behind Kiln's exported test models (see export_test_models.py).

Each is deliberately small (well under 1 MB of weights) but shaped like a real architecture, so that importing and
running it exercises the same ONNX patterns the full-size model would.
"""
import torch
from torch import nn


class Mlp(nn.Module):
    """Iris classifier; feature standardisation is baked in as constants, the output is class probabilities."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))
        self.layers = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 32), nn.Tanh(),
                                    nn.Linear(32, 3))

    def forward(self, features):
        return torch.softmax(self.layers((features - self.mean) / self.std), dim=1)


def conv_bn(cin, cout, stride=1, kernel=3, groups=1, activation=nn.ReLU):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, activation()) if activation else nn.Sequential(*layers)


class CnnBn(nn.Module):
    """Digits classifier: conv/BN/ReLU stacks, max and average pooling."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_bn(1, 16), conv_bn(16, 32), nn.MaxPool2d(2), conv_bn(32, 32),
                                      nn.AvgPool2d(2))
        self.classifier = nn.Linear(32 * 2 * 2, 10)

    def forward(self, image):
        return self.classifier(torch.flatten(self.features(image), 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, cout, stride), conv_bn(cout, cout, activation=None))
        self.shortcut = (nn.Identity() if stride == 1 and cin == cout
                         else conv_bn(cin, cout, stride, kernel=1, activation=None))

    def forward(self, x):
        return torch.relu(self.body(x) + self.shortcut(x))


class ResNet(nn.Module):
    """Digits classifier in the ResNet pattern: residual blocks, a strided projection shortcut, global pooling."""

    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, 16)
        self.blocks = nn.Sequential(BasicBlock(16, 16, 1), BasicBlock(16, 32, 2), BasicBlock(32, 32, 1))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, image):
        return self.fc(torch.flatten(self.pool(self.blocks(self.stem(image))), 1))


class InvertedResidual(nn.Module):
    """MobileNetV2's block: 1x1 expand, 3x3 depthwise, 1x1 linear projection; residual when shapes allow."""

    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.residual = stride == 1 and cin == cout
        self.body = nn.Sequential(conv_bn(cin, hidden, kernel=1, activation=nn.ReLU6),
                                  conv_bn(hidden, hidden, stride, groups=hidden, activation=nn.ReLU6),
                                  conv_bn(hidden, cout, kernel=1, activation=None))

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class MobileNet(nn.Module):
    """Digits classifier in the MobileNetV2 pattern: depthwise-separable convs, ReLU6, BN."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_bn(1, 16, activation=nn.ReLU6), InvertedResidual(16, 16, 1, 2),
                                      InvertedResidual(16, 24, 2, 3), InvertedResidual(24, 24, 1, 3),
                                      conv_bn(24, 64, kernel=1, activation=nn.ReLU6), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 10))

    def forward(self, image):
        return self.classifier(self.features(image))


class LstmClassifier(nn.Module):
    """Reads a digit row by row (8 steps of 8 pixels) and classifies from the last step's output."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 32, batch_first=True)
        self.fc = nn.Linear(32, 10)

    def forward(self, rows):
        out, _ = self.lstm(rows)
        return self.fc(out[:, -1, :])


class GruClassifier(nn.Module):
    """A bidirectional GRU over digit rows that takes and returns its hidden state, as a streaming model would."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(8, 24, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(48, 10)

    def forward(self, rows, state):
        _, final = self.gru(rows, state)
        return self.fc(torch.cat([final[0], final[1]], dim=1)), final


class TransformerClassifier(nn.Module):
    """Digit rows as 8 tokens: linear embedding, learned positions, 2 encoder layers (d_model 32, 4 heads), mean pool."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(8, 32)
        self.position = nn.Parameter(torch.zeros(1, 8, 32))
        layer = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, dropout=0.1, activation="gelu",
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, rows):
        tokens = self.encoder(self.embed(rows) + self.position)
        return self.fc(self.norm(tokens.mean(dim=1)))


def conv_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    """Denoises a digit: two down steps, transposed-conv up steps, skip connections by channel concatenation."""

    def __init__(self):
        super().__init__()
        self.down1, self.down2 = conv_relu(1, 8), conv_relu(8, 16)
        self.bottom = conv_relu(16, 32)
        self.up2, self.dec2 = nn.ConvTranspose2d(32, 16, 2, stride=2), conv_relu(32, 16)
        self.up1, self.dec1 = nn.ConvTranspose2d(16, 8, 2, stride=2), conv_relu(16, 8)
        self.head = nn.Conv2d(8, 1, 1)
        self.pool = nn.MaxPool2d(2)

    def forward(self, noisy):
        skip1 = self.down1(noisy)                # 8 x 8x8
        skip2 = self.down2(self.pool(skip1))     # 16 x 4x4
        x = self.bottom(self.pool(skip2))        # 32 x 2x2
        x = self.dec2(torch.cat([self.up2(x), skip2], dim=1))
        x = self.dec1(torch.cat([self.up1(x), skip1], dim=1))
        return torch.sigmoid(self.head(x))
