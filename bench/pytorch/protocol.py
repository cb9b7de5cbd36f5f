"""PyTorch CPU side of `npm run bench:protocol`: the reference protocol (config `fashion-mnist-lt-ref`)
trained for real, timed per epoch.

Protocol (the same as src/configs/fashion-mnist-lt-ref.ts): Fashion-MNIST-LT from the idx files,
exp profile IF 100, n_max 2000 (class counts int(2000 * 0.01 ** (c / 9)) = 2000 ... 20, 4,958 images);
ResNet-20 (CIFAR ResNet, option-A shortcuts) on 1 x 28 x 28, linear classifier + projection MLP to 32;
two views of 128 images per step (random crop with 2 px zero padding + horizontal flip), last
partial batch dropped (38 steps per epoch); loss = Siamese Balanced Softmax on both views +
0.5 x class-balanced supervised contrastive loss (tau 0.2, effective-number beta 0.999999) over the
batch plus keys mined from a class-balanced queue (K 10 per class, Q_p 1 hardest positive,
Q_n 40 hardest negatives; view-1 projections enqueued after each step); SGD momentum 0.9, weight
decay 5e-4, lr 0.1 with 5 linear warm-up epochs then cosine over 30 epochs, set before every step.
The loss follows RESCOM_NOTES.md ("The four components"). Only the timing is compared with
TensorFlow.js; the run is a real training run (its loss is printed).

Usage: /usr/bin/python3 bench/pytorch/protocol.py --epochs 2 --threads 2
  prints `EPOCH n=<k> s=<wall> cpu=<process cpu> loss=<mean loss>` per epoch.
With --serve it loads the data and builds the model, prints READY, then reads commands from stdin:
`epoch` trains one epoch and prints its EPOCH line; `quit` exits. src/bench/protocol.ts uses this
to interleave PyTorch and TensorFlow.js epochs under the same background load.
"""
import argparse
import gzip
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from models import ResComNet  # noqa: E402

NUM_CLASSES = 10


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def long_tailed_subset(labels, n_max, imbalance_factor, rng):
    counts = [int(n_max * (1.0 / imbalance_factor) ** (c / (NUM_CLASSES - 1.0))) for c in range(NUM_CLASSES)]
    keep = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:n] for c, n in enumerate(counts)])
    return keep, counts


def augment(batch, rng):
    """Random crop (2 px zero padding) + horizontal flip, per image. batch [N, 1, 28, 28]."""
    n, _, h, w = batch.shape
    padded = F.pad(batch, (2, 2, 2, 2))
    ys = rng.integers(0, 5, n)
    xs = rng.integers(0, 5, n)
    flips = rng.random(n) < 0.5
    out = torch.empty_like(batch)
    for i in range(n):
        crop = padded[i, :, ys[i]:ys[i] + h, xs[i]:xs[i] + w]
        out[i] = crop.flip(-1) if flips[i] else crop
    return out


class ResComLoss:
    """L = SBS(both views) + lambda * class-balanced SupCon with a mined class-balanced queue."""

    def __init__(self, counts, dim, tau=0.2, con_weight=0.5, beta=0.999999, k=10, q_p=1, q_n=40, dtype=torch.float32):
        counts = torch.tensor(counts, dtype=torch.float64)
        self.log_prior = torch.log(counts / counts.sum() + 1e-9).to(dtype)
        effective = (1 - beta ** counts) / (1 - beta)
        self.class_weight = (effective.mean() / effective).to(dtype)
        self.tau, self.con_weight, self.k, self.q_p, self.q_n = tau, con_weight, k, q_p, q_n
        self.queue = F.normalize(torch.randn(NUM_CLASSES * k, dim), dim=1).to(dtype)
        self.queue_labels = torch.arange(NUM_CLASSES).repeat_interleave(k)
        self.pointer = [0] * NUM_CLASSES

    def __call__(self, logits, proj, labels, n):
        """Returns (loss, the view-1 keys to enqueue after backward); keeps the parts in `self.parts` (cls, con)."""
        cls = F.cross_entropy(logits + self.log_prior, labels)
        z = F.normalize(proj, dim=1)
        rows = z.shape[0]
        batch_logits = z @ z.t() / self.tau
        self_mask = torch.eye(rows, dtype=torch.bool)
        batch_logits = batch_logits.masked_fill(self_mask, -1e9)
        batch_pos = ((labels[:, None] == labels[None, :]) & ~self_mask).float()
        queue_logits = z @ self.queue.t() / self.tau
        own = labels[:, None] == self.queue_labels[None, :]
        pos_logits = queue_logits.masked_fill(~own, float("inf")).topk(self.q_p, dim=1, largest=False).values
        neg_logits = queue_logits.masked_fill(own, float("-inf")).topk(self.q_n, dim=1).values
        all_logits = torch.cat([batch_logits, pos_logits, neg_logits], dim=1)
        log_prob = all_logits - torch.logsumexp(all_logits, dim=1, keepdim=True)
        pos_mask = torch.cat([batch_pos, torch.ones(rows, self.q_p), torch.zeros(rows, self.q_n)], dim=1)
        per_anchor = -(log_prob * pos_mask).sum(1) / pos_mask.sum(1)
        con = (self.class_weight[labels] * per_anchor).mean()
        self.parts = (cls.detach(), con.detach())
        return cls + self.con_weight * con, z[:n].detach()

    def enqueue(self, keys, labels):
        """After the backward pass: view-1 keys [n, dim] into their class's ring, in batch order."""
        for i in range(keys.shape[0]):
            c = int(labels[i])
            self.queue[c * self.k + self.pointer[c]] = keys[i]
            self.pointer[c] = (self.pointer[c] + 1) % self.k


def learning_rate(step, steps_per_epoch, epochs=30, warmup_epochs=5, base=0.1):
    t = step / steps_per_epoch
    if t < warmup_epochs:
        return base * (step + 1) / (warmup_epochs * steps_per_epoch)
    progress = (t - warmup_epochs) / (epochs - warmup_epochs)
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--serve", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    images = read_idx(os.path.join(a.data_dir, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(a.data_dir, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    keep, counts = long_tailed_subset(labels, 2000, 100, rng)
    x_all = torch.from_numpy(((images[keep].astype(np.float32) / 255.0) - 0.2860) / 0.3530).unsqueeze(1)
    y_all = torch.from_numpy(labels[keep])
    steps_per_epoch = len(keep) // a.batch
    print(f"pytorch protocol: {len(keep)} images (class counts {'/'.join(map(str, counts))}), {steps_per_epoch} steps of 2 x {a.batch}, {torch.get_num_threads()} threads", flush=True)

    net = ResComNet("resnet20", NUM_CLASSES, 32, in_channels=1)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    criterion = ResComLoss(counts, 32)
    state = {"epoch": 0, "step": 0}

    def one_epoch():
        t0, c0 = time.perf_counter(), time.process_time()
        order = torch.from_numpy(rng.permutation(len(keep)))
        total = 0.0
        for s in range(steps_per_epoch):
            idx = order[s * a.batch:(s + 1) * a.batch]
            x, y = x_all[idx], y_all[idx]
            views = torch.cat([augment(x, rng), augment(x, rng)])
            y2 = torch.cat([y, y])
            for group in opt.param_groups:
                group["lr"] = learning_rate(state["step"], steps_per_epoch)
            opt.zero_grad(set_to_none=True)
            _, logits, proj = net(views)
            loss, keys = criterion(logits, proj, y2, a.batch)
            loss.backward()
            opt.step()
            criterion.enqueue(keys, y)
            state["step"] += 1
            total += loss.item()
        state["epoch"] += 1
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"EPOCH n={state['epoch']} s={wall:.2f} cpu={cpu:.2f} loss={total / steps_per_epoch:.4f}", flush=True)

    if a.serve:
        print("READY", flush=True)
        for line in sys.stdin:
            cmd = line.split()
            if not cmd or cmd[0] == "quit":
                break
            if cmd[0] == "epoch":
                one_epoch()
        return
    for _ in range(a.epochs):
        one_epoch()


if __name__ == "__main__":
    main()
