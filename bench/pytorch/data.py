"""torchvision peer of `npm run bench:data -- --list`: the same two-view ImageNet pipeline with
torchvision's DataLoader (PIL decoding, worker processes) on the same image list.

Per image: PIL open + convert('RGB'); per view: RandomResizedCrop(size, scale 0.08-1),
RandomHorizontalFlip, ColorJitter(0.4, 0.4, 0.4, 0), RandomGrayscale(0.2), RandAugment n2 m10 mstd0.5
(timm's `rand-n2-m10-mstd0.5`, the variant ResCom's ImageNet-LT pipeline uses and
src/data/augment/randaugment.ts implements: each of 2 draws from 15 operations applied with
probability 0.5 at a magnitude from N(10, 0.5) clipped to 0..10, signed operations with a random
sign; written here from that description with PIL's ImageOps / ImageEnhance), ToTensor, Normalize
(ImageNet mean/std). Batches of both views' float32 tensors, as the TF.js side's consumer makes them.

Usage: /usr/bin/python3 bench/pytorch/data.py --list LIST --root DIR --workers 2 --batch 64 --size 224 --serve
Prints READY once the DataLoader has produced its first batch (workers started), then reads
commands from stdin: `run S` iterates for S seconds and prints
`DATA images=<n> s=<wall> img_s=<images per second> cpu=<CPU seconds of this process and its
workers>` (an image = its two views); `quit` exits.
"""
import argparse
import os
import random
import sys
import time

import torch
from PIL import Image, ImageEnhance, ImageOps
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
FILL = tuple(round(255 * m) for m in MEAN)


def _enhance(kind):
    return lambda img, level, sign: kind(img).enhance(level / 10 * 1.8 + 0.1)


def _affine(img, matrix):
    return img.transform(img.size, Image.AFFINE, matrix, resample=Image.BILINEAR, fillcolor=FILL)


def _solarize_add(img, level, sign):
    add = min(128, int(110 * level / 10))
    table = [min(255, v + add) if v < 128 else v for v in range(256)] * len(img.getbands())
    return img.point(table)


# op -> (img, level 0..10, sign) -> img; the magnitudes of src/data/augment/randaugment.ts.
OPS = {
    "AutoContrast": lambda img, level, sign: ImageOps.autocontrast(img),
    "Equalize": lambda img, level, sign: ImageOps.equalize(img),
    "Invert": lambda img, level, sign: ImageOps.invert(img),
    "Rotate": lambda img, level, sign: img.rotate(30 * level / 10 * sign, resample=Image.BILINEAR, fillcolor=FILL),
    "Posterize": lambda img, level, sign: ImageOps.posterize(img, max(1, int(4 * level / 10))),
    "Solarize": lambda img, level, sign: ImageOps.solarize(img, min(256, int(256 * level / 10))),
    "SolarizeAdd": _solarize_add,
    "Color": _enhance(ImageEnhance.Color),
    "Contrast": _enhance(ImageEnhance.Contrast),
    "Brightness": _enhance(ImageEnhance.Brightness),
    "Sharpness": _enhance(ImageEnhance.Sharpness),
    "ShearX": lambda img, level, sign: _affine(img, (1, 0.3 * level / 10 * sign, 0, 0, 1, 0)),
    "ShearY": lambda img, level, sign: _affine(img, (1, 0, 0, 0.3 * level / 10 * sign, 1, 0)),
    "TranslateXRel": lambda img, level, sign: _affine(img, (1, 0, 0.45 * level / 10 * img.size[0] * sign, 0, 1, 0)),
    "TranslateYRel": lambda img, level, sign: _affine(img, (1, 0, 0, 0, 1, 0.45 * level / 10 * img.size[1] * sign)),
}
SIGNED = {"Rotate", "ShearX", "ShearY", "TranslateXRel", "TranslateYRel"}


class RandAugment:
    """rand-n{n}-m{m}-mstd{mstd}: see the module docstring."""

    def __init__(self, n=2, m=10, mstd=0.5, p=0.5):
        self.n, self.m, self.mstd, self.p = n, m, mstd, p
        self.names = list(OPS)

    def __call__(self, img):
        for _ in range(self.n):
            name = random.choice(self.names)
            if random.random() >= self.p:
                continue
            level = min(10.0, max(0.0, random.gauss(self.m, self.mstd)))
            sign = -1 if name in SIGNED and random.random() < 0.5 else 1
            img = OPS[name](img, level, sign)
        return img


def view_transform(size):
    return transforms.Compose([
        transforms.RandomResizedCrop(size, scale=(0.08, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.ColorJitter(0.4, 0.4, 0.4, 0.0),
        transforms.RandomGrayscale(p=0.2),
        RandAugment(2, 10, 0.5),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])


class TwoViewList(Dataset):
    """Lines `relative/path.jpg label` of an ImageNet-LT-style list -> (view 1, view 2, label)."""

    def __init__(self, list_file, root, size):
        self.items = []
        with open(list_file) as f:
            for line in f:
                parts = line.split()
                if parts:
                    self.items.append((f"{root}/{parts[0]}", int(parts[1])))
        self.transform = view_transform(size)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        with open(path, "rb") as f:
            img = Image.open(f).convert("RGB")
        return self.transform(img), self.transform(img), label


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--list", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--serve", action="store_true")
    p.add_argument("--seconds", type=float, default=10)
    a = p.parse_args()
    torch.set_num_threads(1)
    dataset = TwoViewList(a.list, a.root, a.size)
    loader = DataLoader(dataset, batch_size=a.batch, shuffle=True, num_workers=a.workers,
                        persistent_workers=a.workers > 0, drop_last=False)
    batches = iter(loader)

    def next_batch():
        nonlocal batches
        try:
            return next(batches)
        except StopIteration:
            batches = iter(loader)
            return next(batches)

    def cpu_seconds():
        """CPU time of this process and its DataLoader workers (Linux /proc), in seconds."""
        total = time.process_time()
        for w in getattr(batches, "_workers", []):
            try:
                with open(f"/proc/{w.pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
        return total

    def run(seconds):
        count, start, cpu0 = 0, time.perf_counter(), cpu_seconds()
        while True:
            v1, v2, labels = next_batch()
            count += labels.shape[0]
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return count, elapsed, cpu_seconds() - cpu0

    next_batch()  # warm-up: workers started, first batch made
    if not a.serve:
        count, elapsed, cpu = run(a.seconds)
        print(f"DATA images={count} s={elapsed:.2f} img_s={count / elapsed:.1f} cpu={cpu:.2f}")
        return
    print("READY", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            break
        if cmd[0] == "run":
            count, elapsed, cpu = run(float(cmd[1]))
            print(f"DATA images={count} s={elapsed:.2f} img_s={count / elapsed:.1f} cpu={cpu:.2f}", flush=True)


if __name__ == "__main__":
    main()
