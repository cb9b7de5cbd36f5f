"""PyTorch reference models for rescom-lab's cross-checks and step benchmark.

CIFAR ResNets follow Yerlan Idelbayev's resnet_cifar.py (used by LDAM-DRW, BCL and ResCom):
BasicBlock with option-A shortcuts (x[:, :, ::2, ::2] + zero channel padding), Kaiming-normal
init. The ResCom network adds a linear classifier and the projection MLP
(Linear -> BatchNorm1d -> ReLU -> Linear) on the pooled features.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def _weights_init(m):
    if isinstance(m, (nn.Linear, nn.Conv2d)):
        nn.init.kaiming_normal_(m.weight)


class LambdaLayer(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            pad = planes // 4
            self.shortcut = LambdaLayer(lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad), "constant", 0))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, blocks_per_stage, in_channels=3):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_planes = [], 16
        for stage, planes in enumerate([16, 32, 64]):
            for b in range(blocks_per_stage):
                stride = 2 if stage > 0 and b == 0 else 1
                layers.append(BasicBlock(in_planes, planes, stride))
                in_planes = planes
        self.layers = nn.Sequential(*layers)
        self.apply(_weights_init)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        return F.adaptive_avg_pool2d(out, 1).flatten(1)


CIFAR_BLOCKS = {"resnet8": 1, "resnet20": 3, "resnet32": 5, "resnet44": 7, "resnet56": 9}


def backbone(name, in_channels=3):
    """Returns (module mapping images [N, C, H, W] to features [N, d], d)."""
    if name in CIFAR_BLOCKS:
        return CifarResNet(CIFAR_BLOCKS[name], in_channels), 64
    if name == "resnet50":
        net = torchvision.models.resnet50()
    elif name == "resnext50":
        net = torchvision.models.resnext50_32x4d()
    else:
        raise ValueError(f"backbone: unknown name {name!r}")
    net.fc = nn.Identity()
    return net, 2048


class ResComNet(nn.Module):
    """images -> (features [N, d], logits [N, classes], projections [N, d_con])."""

    def __init__(self, name, num_classes, projection_dim, in_channels=3):
        super().__init__()
        self.backbone, d = backbone(name, in_channels)
        self.classifier = nn.Linear(d, num_classes)
        self.head = nn.Sequential(nn.Linear(d, d), nn.BatchNorm1d(d), nn.ReLU(inplace=True), nn.Linear(d, projection_dim))

    def forward(self, x):
        f = self.backbone(x)
        return f, self.classifier(f), self.head(f)


def count(module):
    return sum(p.numel() for p in module.parameters())
