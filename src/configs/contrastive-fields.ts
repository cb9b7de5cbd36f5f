/**
 * The config fields that only the contrastive loss reads (src/losses/rescom.ts `ResComCriterion`):
 * its weight lambda, temperature tau, effective-number beta of its class weights, and the queue and
 * mining sizes. A method without a contrastive loss (`methodSpec(method).contrastive` false: ce,
 * balsfx, sbs, ...) trains bit for bit the same whatever they hold, so a run of such a method can
 * stand for its twin that differs only in these fields (bench:accuracy --set, bench:tune variants).
 * Not listed: projectionDim (it changes the model's parameters and their initial draws).
 */
import type { ExperimentConfig } from './types';

export const CONTRASTIVE_ONLY_FIELDS: readonly (keyof ExperimentConfig)[] = [
  'conWeight',
  'temperature',
  'effectiveNumBeta',
  'queuePerClass',
  'selectNumPos',
  'selectNumNeg',
];

/** True when every field named is one the contrastive loss alone reads (and at least one is named). */
export function onlyContrastiveFields(fields: readonly string[]): boolean {
  return fields.length > 0 && fields.every((f) => (CONTRASTIVE_ONLY_FIELDS as readonly string[]).includes(f));
}
