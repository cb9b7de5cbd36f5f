/**
 * Named changes to the reference protocol that `npm run bench:tune` tries, on the validation split
 * only. They follow the audit of why ResCom does not clear the seed noise on the protocol
 * (docs/evidence-audit.md, "What to try next"): stronger, more different views first (the paper's
 * recipe uses AutoAugment + Cutout, docs/paper-notes.md "Hyper-parameters"), then the weight lambda
 * of the contrastive loss, then its temperature tau.
 */
import type { ExperimentConfig } from '../../configs';

export interface TuningVariant {
  /** Folder and table name, e.g. `cutout`. */
  name: string;
  /** One line for the table. */
  description: string;
  /** Config fields changed from the protocol (nothing else differs). */
  overrides: Partial<ExperimentConfig>;
  /**
   * The fields belong to the contrastive loss alone (lambda, tau): a method without that loss
   * (methodSpec(...).contrastive false, e.g. sbs) trains exactly as in the protocol, so the
   * committed protocol run stands for it instead of a second, identical training.
   */
  contrastiveOnly?: boolean;
}

export const TUNING_VARIANTS: readonly TuningVariant[] = [
  { name: 'protocol', description: 'the reference protocol as it is (crop pad 2 + flip, lambda 0.5, tau 0.2)', overrides: {} },
  {
    name: 'cutout',
    description: "stronger views: the 'fashion-mnist' preset (crop pad 2 + flip + one 8 px Cutout per view)",
    overrides: { augment: 'fashion-mnist' },
  },
  { name: 'lambda-0.25', description: 'contrastive weight lambda 0.25 (protocol 0.5)', overrides: { conWeight: 0.25 }, contrastiveOnly: true },
  { name: 'lambda-0.1', description: 'contrastive weight lambda 0.1 (protocol 0.5)', overrides: { conWeight: 0.1 }, contrastiveOnly: true },
  { name: 'tau-0.1', description: 'temperature tau 0.1 (protocol 0.2)', overrides: { temperature: 0.1 }, contrastiveOnly: true },
  { name: 'tau-0.3', description: 'temperature tau 0.3 (protocol 0.2)', overrides: { temperature: 0.3 }, contrastiveOnly: true },
];

export const TUNING_VARIANT_NAMES: readonly string[] = TUNING_VARIANTS.map((v) => v.name);

/** The variant called `name`; throws naming the known ones. */
export function tuningVariant(name: string): TuningVariant {
  const variant = TUNING_VARIANTS.find((v) => v.name === name);
  if (!variant) throw new Error(`tuningVariant: unknown variant '${name}'; expected one of ${TUNING_VARIANT_NAMES.join(', ')}`);
  return variant;
}
