"""PyTorch CPU reference for `npm run bench:step`: the same network, batch and step as
src/bench/step.ts (forward of both views as one batch, cross-entropy on the logits plus a
supervised contrastive loss on the L2-normalised projections, backward, SGD with momentum).

Usage: /usr/bin/python3 bench/pytorch/step.py --backbone resnet32 --size 32 --channels 3 \
         --batch 64 --views 2 --steps 5 --warmup 2 --threads 2
Prints per-step times and a last line `RESULT img_s=<images per second>` (each view-image counts).

With --serve it builds the model, then reads commands from stdin: `steps N` runs N steps and
prints one `STEP ms=<wall> cpu=<process cpu> loss=<loss>` line each, then `DONE`; `quit` exits.
src/bench/step.ts uses this to interleave PyTorch and TensorFlow.js steps, so that both sides are
measured under the same background load.
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from models import ResComNet  # noqa: E402


def supcon(z, labels, temperature):
    """SupCon (Khosla et al. 2020, Eq. 2) over all rows: mean over anchors of the mean log-probability of positives."""
    z = F.normalize(z, dim=1)
    logits = z @ z.t() / temperature
    n = z.shape[0]
    self_mask = torch.eye(n, dtype=torch.bool)
    logits = logits.masked_fill(self_mask, -1e9)
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    pos = (labels[:, None] == labels[None, :]) & ~self_mask
    pos = pos.float()
    return -((log_prob * pos).sum(1) / pos.sum(1).clamp(min=1)).mean()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--backbone", default="resnet32")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--views", type=int, default=2)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--projection-dim", type=int, default=32)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--serve", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = ResComNet(a.backbone, a.classes, a.projection_dim, a.channels)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    rows = a.batch * a.views
    x = torch.randn(rows, a.channels, a.size, a.size)
    labels = torch.randint(0, a.classes, (a.batch,)).repeat(a.views)

    def one_step():
        t0 = time.perf_counter()
        c0 = time.process_time()
        opt.zero_grad(set_to_none=True)
        _, logits, proj = net(x)
        loss = F.cross_entropy(logits, labels) + supcon(proj, labels, 0.1)
        loss.backward()
        opt.step()
        return time.perf_counter() - t0, time.process_time() - c0, loss.item()

    if a.serve:
        print("READY", flush=True)
        for line in sys.stdin:
            cmd = line.split()
            if not cmd or cmd[0] == "quit":
                break
            for _ in range(int(cmd[1])):
                dt, cpu, loss = one_step()
                print(f"STEP ms={dt * 1000:.1f} cpu={cpu * 1000:.1f} loss={loss:.4f}", flush=True)
            print("DONE", flush=True)
        return

    times = []
    for step in range(a.warmup + a.steps):
        dt, cpu, loss = one_step()
        if step >= a.warmup:
            times.append(dt)
        print(f"pytorch {a.backbone} step {step}{' (warm-up)' if step < a.warmup else ''}: {dt * 1000:.0f} ms (cpu {cpu * 1000:.0f} ms, all threads), loss {loss:.4f}", flush=True)
    median = statistics.median(times)
    print(f"RESULT img_s={rows / median:.2f}")


if __name__ == "__main__":
    main()
