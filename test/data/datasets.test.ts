import test from 'ava';
import { DATASET_NAMES, DATASETS, datasetRecord } from '../../src/data/datasets';
import { DATASET_NUM_CLASSES, getConfig, CONFIG_NAMES } from '../../src/configs';

test('one record per dataset name; the configs read their class counts and augmentation from it', (t) => {
  t.deepEqual(Object.keys(DATASETS).sort(), [...DATASET_NAMES].sort());
  for (const name of DATASET_NAMES) t.is(DATASET_NUM_CLASSES[name], DATASETS[name].numClasses, name);
  // Published facts: full training splits of 6000 / 5000 / 500 images per class; list files of the large sets.
  t.deepEqual([DATASETS['fashion-mnist'].fullHeadClass, DATASETS.cifar10.fullHeadClass, DATASETS.cifar100.fullHeadClass], [6000, 5000, 500]);
  t.is(DATASETS['imagenet-lt'].files?.train, 'ImageNet_LT_train.txt');
  t.is(DATASETS['fashion-mnist-lt-embedded'].fullHeadClass, undefined);
  for (const name of CONFIG_NAMES) {
    const c = getConfig(name);
    // The reference protocols choose their views themselves (crop + flip; the long budget AutoAugment + Cutout).
    if (name === 'fashion-mnist-lt-long') t.is(c.augment, 'fashion-mnist-autoaugment');
    else if (name.startsWith('fashion-mnist-lt-') && c.valPerClass > 0) t.is(c.augment, 'fashion-mnist-crop-flip', name);
    else t.is(c.augment, DATASETS[c.dataset].augment, name);
  }
  t.throws(() => datasetRecord('mnist'), { message: /datasetRecord: dataset must be one of fashion-mnist-lt-embedded, .*; got 'mnist'/ });
});
