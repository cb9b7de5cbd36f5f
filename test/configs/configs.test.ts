import test from 'ava';
import {
  CONFIG_FIELDS,
  CONFIG_NAMES,
  applyOverrides,
  configDifferences,
  getConfig,
  parseAssignment,
  validateConfig,
} from '../../src/configs';

test('every named config validates, and the list covers each dataset and setting', (t) => {
  for (const name of CONFIG_NAMES) t.notThrows(() => getConfig(name), name);
  for (const name of [
    'fashion-mnist-lt',
    'fashion-mnist-lt-if100',
    'fashion-mnist-lt-if10',
    'cifar10-lt-if100',
    'cifar10-lt-if50',
    'cifar10-lt-if10',
    'cifar100-lt-if100',
    'cifar100-lt-if50',
    'cifar100-lt-if10',
    'imagenet-lt',
    'inaturalist2018',
    'places-lt',
  ]) {
    t.true(CONFIG_NAMES.includes(name), name);
  }
});

test("CIFAR-100-LT IF100 carries the paper's hyper-parameters (docs/paper-notes.md table)", (t) => {
  const c = getConfig('cifar100-lt-if100');
  t.like(c, {
    dataset: 'cifar100',
    imbalanceFactor: 100,
    backbone: 'resnet32',
    batchSize: 128,
    lr: 0.1,
    epochs: 400,
    warmupEpochs: 10,
    momentum: 0.9,
    weightDecay: 5e-4,
    schedule: 'step',
    temperature: 0.2,
    conWeight: 0.5,
    effectiveNumBeta: 0.999999,
    queuePerClass: 10,
    selectNumPos: 1,
    selectNumNeg: 400,
    projectionDim: 32,
  });
  t.deepEqual(c.stepEpochs, [320, 360]);
  t.deepEqual(c.stepFactors, [0.1, 0.01]);
  t.is(getConfig('cifar100-lt-if10').imbalanceFactor, 10);
  t.like(getConfig('imagenet-lt'), {
    backbone: 'resnet50',
    schedule: 'cosine',
    minLrFactor: 1e-5,
    lr: 0.06,
    effectiveNumBeta: 0.99,
    projectionDim: 128,
  });
});

test('getConfig returns independent copies', (t) => {
  const a = getConfig('cifar10-lt-if100');
  a.stepEpochs.push(399);
  t.deepEqual(getConfig('cifar10-lt-if100').stepEpochs, [320, 360]);
});

test('overrides: --set style assignments are typed, later ones win, arrays are comma-separated', (t) => {
  const base = getConfig('cifar10-lt-if100');
  const c = applyOverrides(base, [
    parseAssignment('epochs=3'),
    parseAssignment('lr=0.05'),
    ['stepEpochs', '1,2'],
    ['method', 'balsfx'],
    ['epochs', '4'],
    ['warmupEpochs', '1'],
  ]);
  t.is(c.epochs, 4);
  t.is(c.lr, 0.05);
  t.deepEqual(c.stepEpochs, [1, 2]);
  t.is(c.method, 'balsfx');
  t.is(base.epochs, 400, 'the input config is not changed');
});

test('unknown and invalid fields are errors naming the field and what it accepts', (t) => {
  const base = getConfig('fashion-mnist-lt');
  t.throws(() => applyOverrides(base, [['epoch', '3']]), { message: /unknown field 'epoch' \(did you mean epochs/ });
  t.throws(() => applyOverrides(base, [['method', 'moco']]), {
    message: /'method' must be one of ce, balsfx, sbs, supcon-balsfx, rescom/,
  });
  t.throws(() => applyOverrides(base, [['epochs', '2.5']]), {
    message: /'epochs' must be an integer >= 1 and <= 10000; got '2.5'/,
  });
  t.throws(() => applyOverrides(base, [['lr', 'fast']]), {
    message: /'lr' must be a number > 0 and <= 10; got 'fast'/,
  });
  t.throws(() => applyOverrides(base, [['lr', '0']]), { message: /'lr' must be a number > 0 and <= 10; got 0/ });
  t.throws(() => applyOverrides(base, [['backbone', 'vgg']]), { message: /resnet8, resnet20, resnet32/ });
  t.throws(() => parseAssignment('epochs'), { message: /field=value/ });
});

test('cross-field rules: mining sizes the queue cannot supply and malformed schedules are refused', (t) => {
  const base = getConfig('cifar10-lt-if100');
  t.throws(() => applyOverrides(base, [['queuePerClass', '10']]), {
    message: /selectNumNeg.*10 \* 9 = 90 for cifar10/,
  });
  t.throws(() => applyOverrides(base, [['selectNumPos', '101']]), { message: /selectNumPos/ });
  t.throws(() => applyOverrides(base, [['stepEpochs', '300']]), { message: /same length/ });
  t.throws(() => applyOverrides(base, [['stepEpochs', '360,320']]), { message: /strictly increasing/ });
  t.throws(() => applyOverrides(base, [['warmupEpochs', '400']]), { message: /warmupEpochs/ });
});

test('validateConfig reports missing and extra fields', (t) => {
  const c = getConfig('places-lt') as unknown as Record<string, unknown>;
  delete c.seed;
  c.colour = 'red';
  const error = t.throws(() => validateConfig(c));
  t.regex(error!.message, /field 'seed' is missing/);
  t.regex(error!.message, /unknown field 'colour'/);
  t.is(CONFIG_FIELDS.length, Object.keys(getConfig('places-lt')).length);
});

test('configDifferences names every differing field', (t) => {
  const a = getConfig('cifar100-lt-if100');
  const b = applyOverrides(a, [
    ['lr', '0.2'],
    ['stepEpochs', '300,350'],
  ]);
  t.deepEqual(
    configDifferences(a, b).map((d) => d.field),
    ['lr', 'stepEpochs'],
  );
  t.deepEqual(configDifferences(a, getConfig('cifar100-lt-if100')), []);
});

test('fashion-mnist-lt-ref is the reference protocol, field by field', (t) => {
  const c = getConfig('fashion-mnist-lt-ref');
  t.like(c, {
    dataset: 'fashion-mnist',
    imbalanceProfile: 'exp',
    imbalanceFactor: 100,
    nMax: 2000,
    backbone: 'resnet20',
    batchSize: 128,
    augment: 'fashion-mnist-crop-flip',
    momentum: 0.9,
    weightDecay: 5e-4,
    lr: 0.1,
    warmupEpochs: 5,
    schedule: 'cosine',
    minLrFactor: 0,
    epochs: 30,
    temperature: 0.2,
    conWeight: 0.5,
    effectiveNumBeta: 0.999999,
    queuePerClass: 10,
    selectNumPos: 1,
    selectNumNeg: 40,
    valFraction: 0,
    valPerClass: 100,
  });
  t.throws(() => applyOverrides(c, [['valFraction', '0.1']]), {
    message: /'valPerClass' \(100\) and 'valFraction' \(0.1\) are two ways/,
  });
});
