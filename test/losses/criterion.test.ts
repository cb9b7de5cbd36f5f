import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { ResComCriterion, siameseLabels } from '../../src/losses/criterion';
import { METHODS, METHOD_NAMES, methodSpec, type MethodName } from '../../src/losses/methods';
import { Rng } from '../../src/util/rng';
import { useTestBackend } from '../helpers/backend';
import { closeRel, dot, nll, refAnchorLoss, refBalancedSoftmax, refCandidates, refEffectiveWeights } from './reference';

test.before(async () => {
  await useTestBackend();
});

const C = 5;
const K = 3;
const d = 4;
const N = 6;
const counts = [300, 90, 30, 9, 3];
const labelsN = [0, 0, 1, 3, 4, 0];
const labels = Array.from(siameseLabels(labelsN));
const rng = new Rng(17);
const logitRows = Array.from({ length: 2 * N }, () => Array.from({ length: C }, () => Math.fround(2 * rng.normal())));
const projRows = Array.from({ length: 2 * N }, () => Array.from({ length: d }, () => Math.fround(3 * rng.normal())));
const normalized = projRows.map((r) => {
  const n = Math.sqrt(dot(r, r));
  return r.map((v) => v / n);
});
const common = {
  numClasses: C,
  classCounts: counts,
  projectionDim: d,
  queuePerClass: K,
  selectNumPos: 2,
  selectNumNeg: 5,
  temperature: 0.2,
  conWeight: 0.5,
  effectiveNumBeta: 0.999,
};

/** Focal loss with gamma 2, explicit loop: mean of -(1 - p_y)^2 log p_y. */
function refFocal(rows: number[][], ys: number[]): number {
  return (
    rows.reduce((s, row, i) => {
      const logP = -nll(row, ys[i]);
      return s - (1 - Math.exp(logP)) ** 2 * logP;
    }, 0) / rows.length
  );
}

/** LDAM before the DRW start (no weights), largest margin 0.5, unscaled logits: mean CE(row - m_y e_y, y). */
function refLdamBeforeDrw(rows: number[][], ys: number[], n: number[]): number {
  const raw = n.map((c) => c ** -0.25);
  const m = raw.map((r) => (0.5 * r) / Math.max(...raw));
  return (
    rows.reduce(
      (s, row, i) =>
        s +
        nll(
          row.map((v, c) => (c === ys[i] ? v - m[c] : v)),
          ys[i],
        ),
      0,
    ) / rows.length
  );
}

/** Explicit-loop expectation for each method, from the criterion's queue before the step. */
function expected(method: MethodName, queue: number[][] | null): { cls: number; con: number; total: number } {
  const spec = METHODS[method];
  const clsRows = spec.classifierRows === 'first-view' ? N : 2 * N;
  const cls =
    spec.classifier === 'ce'
      ? logitRows.reduce((s, row, i) => s + nll(row, labels[i]), 0) / (2 * N)
      : spec.classifier === 'focal'
        ? refFocal(logitRows, labels)
        : spec.classifier === 'ldam-drw'
          ? refLdamBeforeDrw(logitRows, labels, counts)
          : refBalancedSoftmax(logitRows.slice(0, clsRows), labels.slice(0, clsRows), counts);
  if (!spec.contrastive) return { cls, con: 0, total: cls };
  const w = spec.classWeights ? refEffectiveWeights(counts, 0.999) : counts.map(() => 1);
  const refCase = {
    features: normalized,
    logits: logitRows,
    labels,
    queue: spec.queue && queue ? queue : [],
    class_counts: counts,
    temperature: 0.2,
    con_weight: 0.5,
    effective_num_beta: 0,
    select_num_pos: spec.mining ? 2 : K,
    select_num_neg: spec.mining ? 5 : K * (C - 1),
  };
  // Without a queue: an empty key list (refCandidates then only sees batch rows).
  const cands = spec.queue
    ? refCandidates(refCase)
    : normalized.map((f, i) =>
        normalized.flatMap((g, j) => (j === i ? [] : [{ sim: dot(f, g), positive: labels[j] === labels[i] }])),
      );
  const con = cands.reduce((s, cs, i) => s + w[labels[i]] * refAnchorLoss(cs, 0.2), 0) / (2 * N);
  return { cls, con, total: cls + 0.5 * con };
}

test("each ablation switches off exactly one of ResCom's four parts", (t) => {
  const parts = ['classifierRows', 'classWeights', 'queue', 'mining'] as const;
  const full = METHODS.rescom;
  t.deepEqual(
    [full.classifier, full.classifierRows, full.contrastive, full.classWeights, full.queue, full.mining],
    ['balanced-softmax', 'all', true, true, true, true],
  );
  const differs = (name: MethodName) => parts.filter((p) => METHODS[name][p] !== full[p]);
  t.deepEqual(differs('rescom-no-sbs'), ['classifierRows']);
  t.deepEqual(differs('rescom-no-cbweights'), ['classWeights']);
  t.deepEqual(differs('rescom-no-queue'), ['queue', 'mining']); // no queue means nothing to mine
  t.deepEqual(differs('rescom-no-mining'), ['mining']);
  t.false(METHODS.ce.usesSecondView);
  t.false(METHODS.balsfx.usesSecondView);
  // sbs: the same Balanced Softmax as balsfx, on both views, and nothing contrastive.
  t.deepEqual(
    [METHODS.sbs.classifier, METHODS.sbs.classifierRows, METHODS.sbs.usesSecondView],
    ['balanced-softmax', 'all', true],
  );
  t.false(METHODS.sbs.contrastive || METHODS.sbs.queue || METHODS.sbs.mining || METHODS.sbs.classWeights);
  t.true(
    METHODS['supcon-balsfx'].contrastive && !METHODS['supcon-balsfx'].queue && !METHODS['supcon-balsfx'].classWeights,
  );
  t.throws(() => methodSpec('moco'), {
    message: /methodSpec: method must be one of ce, balsfx, sbs, supcon-balsfx, rescom, .*; got 'moco'/,
  });
});

for (const method of METHOD_NAMES) {
  test(`criterion '${method}': { cls, con, total } match the explicit loop`, (t) => {
    const criterion = new ResComCriterion({ ...common, method, rng: new Rng(3) });
    const queue = criterion.queue ? criterion.queue.state().keys : null;
    const logits = tf.tensor2d(logitRows);
    const projections = tf.tensor2d(projRows);
    const before = tf.memory().numTensors;
    const parts = criterion.loss({ logits, projections, labels });
    const got = { cls: parts.cls.dataSync()[0], con: parts.con.dataSync()[0], total: parts.total.dataSync()[0] };
    tf.dispose([parts.cls, parts.con, parts.total]);
    t.is(tf.memory().numTensors, before);
    const want = expected(method, queue);
    for (const key of ['cls', 'con', 'total'] as const)
      t.true(
        closeRel(got[key], want[key]) || (want[key] === 0 && got[key] === 0),
        `${key}: ${got[key]} vs ${want[key]}`,
      );
    t.is(criterion.usesSecondView, METHODS[method].usesSecondView);
    tf.dispose([logits, projections]);
    criterion.dispose();
  });
}

test('afterStep enqueues the normalised view-1 rows of the last loss call, in order, once', (t) => {
  const criterion = new ResComCriterion({ ...common, rng: new Rng(4) });
  const queue = criterion.queue!;
  const keysBefore = queue.state().keys;
  const logits = tf.tensor2d(logitRows);
  const projections = tf.tensor2d(projRows);
  tf.dispose(Object.values(criterion.loss({ logits, projections, labels })));
  t.deepEqual(queue.state().keys, keysBefore, 'loss() alone leaves the queue untouched');
  criterion.afterStep();
  const ptr = [0, 0, 0, 0, 0];
  const want = keysBefore.map((r) => r.slice());
  for (let i = 0; i < N; i++) {
    const y = labelsN[i];
    want[y * K + ptr[y]] = normalized[i];
    ptr[y] = (ptr[y] + 1) % K;
  }
  const got = queue.state();
  t.deepEqual(got.pointers, ptr);
  got.keys.forEach((row, r) => row.forEach((v, j) => t.true(Math.abs(v - want[r][j]) < 1e-6)));
  t.throws(() => criterion.afterStep(), { message: /nothing to enqueue: call loss\(\) first/ });
  // The explicit form does the same.
  const other = new ResComCriterion({ ...common, rng: new Rng(4) });
  other.afterStep({ projections, labels });
  t.deepEqual(other.state(), criterion.state());
  // Methods without a queue ignore afterStep.
  const ce = new ResComCriterion({ ...common, method: 'ce', rng: new Rng(4) });
  t.notThrows(() => ce.afterStep());
  t.is(ce.queue, null);
  tf.dispose([logits, projections]);
  [criterion, other, ce].forEach((c) => c.dispose());
});

test('gradients reach the features and the classifier, never the queue', (t) => {
  const criterion = new ResComCriterion({ ...common, rng: new Rng(5) });
  const x = tf.tensor2d(Array.from({ length: 2 * N }, () => Array.from({ length: 6 }, () => rng.normal())));
  const backbone = tf.variable(tf.randomNormal([6, 8], 0, 0.5, 'float32', 1), true, 'backbone');
  const classifier = tf.variable(tf.randomNormal([8, C], 0, 0.5, 'float32', 2), true, 'classifier');
  const head = tf.variable(tf.randomNormal([8, d], 0, 0.5, 'float32', 3), true, 'head');
  const keysBefore = criterion.queue!.state().keys;
  const { value, grads } = tf.variableGrads(() => {
    const features = tf.relu(tf.matMul(x, backbone));
    return criterion.loss({
      logits: tf.matMul(features, classifier) as tf.Tensor2D,
      projections: tf.matMul(features, head) as tf.Tensor2D,
      labels,
    }).total;
  });
  t.deepEqual(Object.keys(grads).sort(), [backbone.name, classifier.name, head.name].sort());
  for (const g of Object.values(grads)) t.true(tf.tidy(() => g.abs().max().dataSync()[0]) > 1e-6);
  t.deepEqual(criterion.queue!.state().keys, keysBefore);
  t.false(criterion.queue!.keys() instanceof tf.Variable);
  tf.dispose([value, x, backbone, classifier, head, ...Object.values(grads)]);
  criterion.dispose();
});

test('100 training steps with queue updates leave tf.memory().numTensors flat', (t) => {
  const criterion = new ResComCriterion({ ...common, rng: new Rng(6) });
  const x = tf.tensor2d(Array.from({ length: 2 * N }, () => Array.from({ length: 6 }, () => rng.normal())));
  const classifier = tf.variable(tf.randomNormal([6, C], 0, 0.5, 'float32', 2));
  const head = tf.variable(tf.randomNormal([6, d], 0, 0.5, 'float32', 3));
  const optimizer = tf.train.sgd(0.05);
  const step = () => {
    const cost = optimizer.minimize(
      () =>
        criterion.loss({
          logits: tf.matMul(x, classifier) as tf.Tensor2D,
          projections: tf.matMul(x, head) as tf.Tensor2D,
          labels,
        }).total,
      true,
    );
    if (cost) cost.dispose();
    criterion.afterStep();
  };
  step(); // the optimizer allocates its state on the first call
  const before = tf.memory().numTensors;
  const queueBefore = criterion.queue!.state().keys;
  for (let i = 0; i < 100; i++) step();
  t.is(tf.memory().numTensors, before);
  t.notDeepEqual(criterion.queue!.state().keys, queueBefore);
  tf.dispose([x, classifier, head]);
  optimizer.dispose();
  criterion.dispose();
});

test('state() round-trips through JSON into a criterion seeded differently', (t) => {
  const a = new ResComCriterion({ ...common, rng: new Rng(7) });
  const projections = tf.tensor2d(projRows);
  a.afterStep({ projections, labels });
  projections.dispose();
  const saved = JSON.parse(JSON.stringify(a.state()));
  const b = new ResComCriterion({ ...common, rng: new Rng(8) });
  t.notDeepEqual(b.state(), saved);
  b.restore(saved);
  t.deepEqual(b.state(), a.state());
  const c = new ResComCriterion({ ...common, method: 'rescom-no-mining', rng: new Rng(8) });
  t.throws(() => c.restore(saved), { message: /state must be for method 'rescom-no-mining'; got 'rescom'/ });
  [a, b, c].forEach((x) => x.dispose());
});

test('impossible options are errors at construction', (t) => {
  const rngX = new Rng(1);
  t.throws(() => new ResComCriterion({ ...common, selectNumPos: K + 1, rng: rngX }), {
    message: /numPositives \(Q_p, at most K = 3\)/,
  });
  t.throws(() => new ResComCriterion({ ...common, selectNumNeg: 13, rng: rngX }), {
    message: /numNegatives \(Q_n, at most K\*\(C-1\) = 12\)/,
  });
  t.throws(() => new ResComCriterion({ ...common, queuePerClass: 0, rng: rngX }), {
    message: /queuePerClass \(K\) must be an integer >= 1; got 0/,
  });
  t.throws(() => new ResComCriterion({ ...common, method: 'bogus' as MethodName, rng: rngX }), {
    message: /method must be one of/,
  });
  // rescom-no-mining uses every key, so Q options do not matter.
  t.notThrows(() =>
    new ResComCriterion({ ...common, method: 'rescom-no-mining', selectNumNeg: 999, rng: rngX }).dispose(),
  );
  const criterion = new ResComCriterion({ ...common, rng: rngX });
  t.throws(
    () =>
      criterion.loss({
        logits: tf.zeros([3, C]) as tf.Tensor2D,
        projections: tf.zeros([3, d]) as tf.Tensor2D,
        labels: [0, 0, 0],
      }),
    { message: /needs a two-view batch \[2N, \.\.\.\]; got 3 rows/ },
  );
  criterion.dispose();
});

test('mining is host or device; device mining leaves no tensor behind over steps, restore and dispose', (t) => {
  t.throws(() => new ResComCriterion({ ...common, mining: 'gpu' as 'device', rng: new Rng(1) }), {
    message: /ResComCriterion: mining must be 'host' or 'device'; got 'gpu'/,
  });
  const before = tf.memory().numTensors;
  const criterion = new ResComCriterion({ ...common, mining: 'device', rng: new Rng(2) });
  const saved = criterion.state();
  for (let step = 0; step < 3; step++) {
    const labels = [0, 1, 2, 3, 0, 1, 2, 3];
    const logits = tf.randomNormal([8, C], 0, 1, 'float32', step) as tf.Tensor2D;
    const projections = tf.randomNormal([8, d], 0, 1, 'float32', step + 9) as tf.Tensor2D;
    const parts = criterion.loss({ logits, projections, labels });
    t.true(Number.isFinite(parts.total.dataSync()[0]));
    tf.dispose([logits, projections, parts.cls, parts.con, parts.total]);
    if (step < 2) criterion.afterStep();
  }
  criterion.restore(saved);
  criterion.dispose();
  t.is(tf.memory().numTensors, before);
});

test("ldam-drw follows the trainer's epochs: unweighted LDAM before drwStartEpoch, DRW weights from it on", (t) => {
  const criterion = new ResComCriterion({ ...common, method: 'ldam-drw', drwStartEpoch: 2, rng: new Rng(5) });
  const logits = tf.tensor2d(logitRows);
  const projections = tf.tensor2d(projRows);
  const at = (epoch: number) => {
    criterion.startEpoch(epoch);
    const parts = criterion.loss({ logits, projections, labels });
    const value = parts.total.dataSync()[0];
    tf.dispose([parts.cls, parts.con, parts.total]);
    return value;
  };
  const weighted = (w: number[]) => {
    const raw = counts.map((c) => c ** -0.25);
    const m = raw.map((r) => (0.5 * r) / Math.max(...raw));
    const per = logitRows.map((row, i) =>
      nll(
        row.map((v, c) => (c === labels[i] ? v - m[c] : v)),
        labels[i],
      ),
    );
    return per.reduce((s, l, i) => s + w[labels[i]] * l, 0) / labels.reduce((s, y) => s + w[y], 0);
  };
  const drw = refEffectiveWeights(counts, 0.9999).map((v, _, all) => (v * all.length) / all.reduce((a, b) => a + b, 0));
  t.true(closeRel(at(1), weighted(counts.map(() => 1))), 'epoch 1: plain LDAM');
  t.true(closeRel(at(2), weighted(drw)), 'epoch 2: class-balanced weights');
  t.false(closeRel(at(1), at(2)), 'the weights change the loss');
  tf.dispose([logits, projections]);
  criterion.dispose();
});
