"""Writes test/models/fixtures/param-counts.json: trainable parameter counts of the PyTorch
reference backbones (without classifier) and of full ResCom networks, for test/models.

Run: /usr/bin/python3 bench/pytorch/param_counts.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from models import ResComNet, backbone, count  # noqa: E402

out = {"backbones": {}, "networks": []}
for name in ["resnet8", "resnet20", "resnet32", "resnet44", "resnet56", "resnet50", "resnext50"]:
    net, dim = backbone(name)
    out["backbones"][name] = {"parameters": count(net), "featureDim": dim}
for name, channels, classes, dcon in [("resnet32", 3, 10, 32), ("resnet8", 1, 10, 32), ("resnet32", 3, 100, 128)]:
    out["networks"].append({
        "backbone": name, "inChannels": channels, "numClasses": classes, "projectionDim": dcon,
        "parameters": count(ResComNet(name, classes, dcon, channels)),
    })
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "models", "fixtures", "param-counts.json")
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
print(json.dumps(out, indent=2))
