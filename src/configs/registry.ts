/**
 * Named configs (`rescom train --config NAME`), one per dataset and setting.
 */
import {
  CIFAR100_LT_IF10,
  CIFAR100_LT_IF100,
  CIFAR100_LT_IF50,
  CIFAR10_LT_IF10,
  CIFAR10_LT_IF100,
  CIFAR10_LT_IF50,
} from './cifar-lt';
import { FASHION_MNIST_LT, FASHION_MNIST_LT_IF10, FASHION_MNIST_LT_IF100 } from './fashion-mnist-lt';
import {
  FASHION_MNIST_LT_AUTHORS,
  FASHION_MNIST_LT_FIXED,
  FASHION_MNIST_LT_LONG,
  FASHION_MNIST_LT_REF,
} from './fashion-mnist-lt-ref';
import { IMAGENET_LT, INATURALIST_2018, PLACES_LT } from './large-scale-lt';
import type { ExperimentConfig } from './types';
import { validateConfig } from './validate';

const ALL: ExperimentConfig[] = [
  FASHION_MNIST_LT,
  FASHION_MNIST_LT_IF100,
  FASHION_MNIST_LT_IF10,
  FASHION_MNIST_LT_REF,
  FASHION_MNIST_LT_FIXED,
  FASHION_MNIST_LT_AUTHORS,
  FASHION_MNIST_LT_LONG,
  CIFAR10_LT_IF100,
  CIFAR10_LT_IF50,
  CIFAR10_LT_IF10,
  CIFAR100_LT_IF100,
  CIFAR100_LT_IF50,
  CIFAR100_LT_IF10,
  IMAGENET_LT,
  INATURALIST_2018,
  PLACES_LT,
];

/** Names of every config, in the order `--help` lists them. */
export const CONFIG_NAMES: readonly string[] = ALL.map((c) => c.name);

/** A fresh, validated copy of the named config (callers may change it freely). */
export function getConfig(name: string): ExperimentConfig {
  const found = ALL.find((c) => c.name === name);
  if (!found) throw new Error(`getConfig: unknown config '${name}'; expected one of ${CONFIG_NAMES.join(', ')}`);
  return validateConfig(structuredClone(found) as unknown as Record<string, unknown>, `getConfig('${name}')`);
}
