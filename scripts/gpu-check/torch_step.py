"""The ResNet-32 two-view ResCom training step in PyTorch, for the GPU check's ratio.

Same work as check.ts's webgpu step: CIFAR ResNet-32 (option-A shortcuts, 16/32/64 channels),
linear classifier (100 classes) and projection MLP (64 -> 64 -> BN -> ReLU -> 32) on 2 x N images of
32x32x3 (both views in one batch), Balanced-Softmax cross-entropy on both views plus a supervised
contrastive loss over the batch and a class-balanced queue (K = 10 keys per class) with mined hard
pairs (Q_p = 1, Q_n = 400), SGD with momentum 0.9 and weight decay 5e-4. Prints
`RESULT torch_<device>_img_s=<images per second>` (both views counted).

Usage: python3 torch_step.py [--device cuda|cpu] [--batch 64] [--steps 20] [--warmup 5]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class OptionA(nn.Module):
    """Shortcut of He et al. (option A): stride-2 subsampling, zero-padded channels."""

    def __init__(self, planes):
        super().__init__()
        self.pad = planes // 4

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = OptionA(cout) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResComResNet32(nn.Module):
    def __init__(self, num_classes=100, proj_dim=32, blocks=5):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for b in range(blocks):
                layers.append(BasicBlock(cin, cout, stride if b == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, num_classes)
        self.head = nn.Sequential(nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(inplace=True), nn.Linear(64, proj_dim))

    def forward(self, x):
        f = self.layers(F.relu(self.bn(self.conv(x))))
        f = F.adaptive_avg_pool2d(f, 1).flatten(1)
        return self.fc(f), self.head(f)


def rescom_loss(logits, proj, labels, queue, queue_labels, log_prior, tau=0.2, lam=0.5, qp=1, qn=400):
    """Balanced-Softmax CE on both views + SupCon over batch and mined queue keys (ResCom, Sec. 3)."""
    cls = F.cross_entropy(logits + log_prior, labels)
    z = F.normalize(proj, dim=1)
    b = z.shape[0]
    with torch.no_grad():
        sim_q = z @ queue.T
        own = labels[:, None] == queue_labels[None, :]
        pos_score = torch.where(own, -sim_q, torch.full_like(sim_q, -1e4))
        neg_score = torch.where(own, torch.full_like(sim_q, -1e4), sim_q)
        mask_q = torch.zeros_like(sim_q)
        mask_q.scatter_(1, pos_score.topk(qp, dim=1).indices, 1.0)
        mask_q.scatter_(1, neg_score.topk(qn, dim=1).indices, 1.0)
    logits_all = torch.cat([z @ z.T, z @ queue.T], dim=1) / tau
    self_mask = torch.cat([torch.eye(b, device=z.device, dtype=torch.bool), torch.zeros_like(own)], dim=1)
    cand = torch.cat([torch.ones(b, b, device=z.device), mask_q], dim=1).masked_fill(self_mask, 0)
    pos = torch.cat([(labels[:, None] == labels[None, :]).float(), own.float()], dim=1) * cand
    logits_all = logits_all - logits_all.max(dim=1, keepdim=True).values.detach()
    log_prob = logits_all - torch.log((torch.exp(logits_all) * cand).sum(1, keepdim=True))
    con = -((pos * log_prob).sum(1) / pos.sum(1).clamp(min=1)).mean()
    return cls + lam * con


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--batch', type=int, default=64, help='images per view')
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=5)
    args = parser.parse_args()
    if args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('torch_step: CUDA is not available (torch %s)' % torch.__version__)
    dev = torch.device(args.device)
    torch.manual_seed(0)
    num_classes, k = 100, 10
    counts = torch.tensor([int(500 * (0.01 ** (c / 99))) for c in range(num_classes)], dtype=torch.float32)
    log_prior = torch.log(counts / counts.sum()).to(dev)
    model = ResComResNet32(num_classes).to(dev).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    queue = F.normalize(torch.randn(num_classes * k, 32, device=dev), dim=1)
    queue_labels = torch.arange(num_classes, device=dev).repeat_interleave(k)
    pointers = [0] * num_classes
    n = args.batch

    def batch():
        x = torch.randn(2 * n, 3, 32, 32, device=dev)
        y = torch.randint(0, num_classes, (n,), device=dev)
        return x, torch.cat([y, y])

    def step(x, y):
        logits, proj = model(x)
        loss = rescom_loss(logits, proj, y, queue, queue_labels, log_prior)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():  # enqueue view 1 (values only)
            keys = F.normalize(proj[:n].detach(), dim=1)
            for i, c in enumerate(y[:n].tolist()):
                queue[c * k + pointers[c]] = keys[i]
                pointers[c] = (pointers[c] + 1) % k
        return loss

    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    for _ in range(args.warmup):
        step(*batch())
    sync()
    batches = [batch() for _ in range(args.steps)]
    sync()
    start = time.perf_counter()
    for x, y in batches:
        loss = step(x, y)
    sync()
    seconds = time.perf_counter() - start
    img_s = 2 * n * args.steps / seconds
    name = torch.cuda.get_device_name(0) if dev.type == 'cuda' else 'cpu (%d threads)' % torch.get_num_threads()
    print('torch %s on %s: resnet32 two-view step 2 x %d, %.4f s/step, %.1f img/s (loss %.3f)' % (torch.__version__, name, n, seconds / args.steps, img_s, loss.item()))
    print('RESULT torch_%s_img_s=%.4g' % (dev.type, img_s))


if __name__ == '__main__':
    main()
