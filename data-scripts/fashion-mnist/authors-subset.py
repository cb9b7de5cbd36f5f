#!/usr/bin/env python3
"""The authors' code's Fashion-MNIST-LT subset as a row list: data/subsets/<name>.json.

Rule (the long-tailed subset a reproducer of the authors' ResCom code trains on, with one subset
drawn once for every seed): numpy's RandomState(0).permutation(60000) over the official training
split, then, for each class c = 0..9, the first n_c rows of that class in permutation order, with
n_c = int(n_max * (1 / IF) ** (c / (C - 1))) as the reference's cifar_lt.py computes its counts
(docs/paper-notes.md "Long-tailed benchmarks"). Rows are written grouped by class (class 0 first),
in permutation order inside a class; `rowsSha256` is sha256 of the rows joined by ',' (the
project's `rowsIdentity`, src/data/subset-list.ts).

Needs Debian's python3-numpy and the training labels (Debian's dataset-fashion-mnist).
Run from the repository root:
  python3 data-scripts/fashion-mnist/authors-subset.py [--labels FILE] [--if 100] [--n-max 2000]
Writes data/subsets/fashion-mnist-lt-authors-if<IF>-nmax<N>.json (atomically) and prints its identity.
"""
import argparse
import gzip
import hashlib
import json
import os
import sys

import numpy as np

LABELS = '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz'


def read_idx1_labels(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    if int.from_bytes(data[0:4], 'big') != 0x801:
        sys.exit(f'authors-subset: {path} is not an IDX1 label file (magic {data[0:4].hex()})')
    n = int.from_bytes(data[4:8], 'big')
    labels = np.frombuffer(data, dtype=np.uint8, offset=8)
    if labels.size != n:
        sys.exit(f'authors-subset: {path} says {n} labels but holds {labels.size}')
    return labels, hashlib.sha256(data).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--labels', default=LABELS)
    parser.add_argument('--if', dest='imbalance', type=float, default=100)
    parser.add_argument('--n-max', type=int, default=2000)
    parser.add_argument('--out-dir', default='data/subsets')
    args = parser.parse_args()
    labels, labels_sha = read_idx1_labels(args.labels)
    num_classes = int(labels.max()) + 1
    imb_factor = 1.0 / args.imbalance
    counts = [int(args.n_max * (imb_factor ** (c / (num_classes - 1.0)))) for c in range(num_classes)]
    order = np.random.RandomState(0).permutation(labels.size)
    rows = []
    for c in range(num_classes):
        in_class = order[labels[order] == c]
        rows.extend(int(r) for r in in_class[: counts[c]])
    identity = hashlib.sha256(','.join(map(str, rows)).encode()).hexdigest()
    name = f'fashion-mnist-lt-authors-if{args.imbalance:g}-nmax{args.n_max}'
    record = {
        'name': name,
        'dataset': 'fashion-mnist',
        'rule': (
            f'numpy RandomState(0).permutation({labels.size}) over the official training split; for each class c the first '
            f'n_c rows of that class in that order, n_c = int({args.n_max} * {imb_factor:g} ** (c / {num_classes - 1})); '
            'rows grouped by class, permutation order inside a class'
        ),
        'madeBy': f'data-scripts/fashion-mnist/authors-subset.py (numpy {np.__version__})',
        'labelsSha256': labels_sha,
        'classCounts': counts,
        'rows': rows,
        'rowsSha256': identity,
    }
    os.makedirs(args.out_dir, exist_ok=True)
    target = os.path.join(args.out_dir, f'{name}.json')
    tmp = f'{target}.tmp-{os.getpid()}'
    with open(tmp, 'w') as f:
        json.dump(record, f, separators=(',', ':'))
        f.write('\n')
    os.replace(tmp, target)
    print(f'{target}: {len(rows)} rows, class counts {counts}, rowsSha256 {identity}')


if __name__ == '__main__':
    main()
