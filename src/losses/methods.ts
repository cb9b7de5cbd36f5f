/**
 * The training methods the trainer can name, each a switchboard over ResCom's four parts
 * (arXiv 2203.11506, Sec. 3 and the ablation study, Table 5): Siamese Balanced Softmax (SBS),
 * class-balanced anchor weights, the class-balanced queue, and hard pair mining, plus the paper's
 * single-view baselines (cross-entropy, Balanced Softmax, focal loss, LDAM-DRW) through the same trainer.
 */
import type { ClassifierLossName } from './classifier-loss';

export const METHOD_NAMES = [
  'ce',
  'balsfx',
  'sbs',
  'supcon-balsfx',
  'rescom',
  'rescom-no-sbs',
  'rescom-no-cbweights',
  'rescom-no-queue',
  'rescom-no-mining',
  'focal',
  'ldam-drw',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export interface MethodSpec {
  name: MethodName;
  /** One line for help texts and reports. */
  description: string;
  /** The classification loss (`classifierLoss`): `ce`, `balanced-softmax` (CE on logits + log(prior + 1e-9)), `focal`, `ldam-drw`. */
  classifier: ClassifierLossName;
  /** Rows the classifier loss uses: every row given, or only view 1 of a Siamese batch. */
  classifierRows: 'all' | 'first-view';
  /** Whether the second augmented view is needed at all (false: the trainer may pass view 1 only). */
  usesSecondView: boolean;
  /** Supervised contrastive loss over the Siamese batch. */
  contrastive: boolean;
  /** Effective-number anchor weights (otherwise all 1, as beta = 0). */
  classWeights: boolean;
  /** Class-balanced queue keys as extra contrastive candidates. */
  queue: boolean;
  /** Hard pair mining over the queue keys (otherwise every key is used). */
  mining: boolean;
}

const full = {
  classifier: 'balanced-softmax',
  classifierRows: 'all',
  usesSecondView: true,
  contrastive: true,
  classWeights: true,
  queue: true,
  mining: true,
} as const;

/** A classifier loss on view 1 alone (the single-view baselines). */
const single = {
  ...full,
  usesSecondView: false,
  contrastive: false,
  classWeights: false,
  queue: false,
  mining: false,
} as const;

/** Every method's switches. */
export const METHODS: Record<MethodName, MethodSpec> = {
  ce: {
    ...full,
    name: 'ce',
    description: 'cross-entropy on view 1 (baseline)',
    classifier: 'ce',
    usesSecondView: false,
    contrastive: false,
    classWeights: false,
    queue: false,
    mining: false,
  },
  balsfx: {
    ...full,
    name: 'balsfx',
    description: 'Balanced Softmax on view 1',
    usesSecondView: false,
    contrastive: false,
    classWeights: false,
    queue: false,
    mining: false,
  },
  sbs: {
    ...full,
    name: 'sbs',
    description:
      'Siamese Balanced Softmax alone: Balanced Softmax on both views, no contrastive loss (the fair baseline for the contrastive parts)',
    contrastive: false,
    classWeights: false,
    queue: false,
    mining: false,
  },
  'supcon-balsfx': {
    ...full,
    name: 'supcon-balsfx',
    description: 'Balanced Softmax on both views + SupCon over the batch (no queue, no mining, no class weights)',
    classWeights: false,
    queue: false,
    mining: false,
  },
  rescom: {
    ...full,
    name: 'rescom',
    description: 'ResCom: SBS + class-balanced SupCon + class-balanced queue + hard pair mining',
  },
  'rescom-no-sbs': {
    ...full,
    name: 'rescom-no-sbs',
    description: 'ResCom with Balanced Softmax on view 1 only',
    classifierRows: 'first-view',
  },
  'rescom-no-cbweights': {
    ...full,
    name: 'rescom-no-cbweights',
    description: 'ResCom without class-balanced anchor weights (beta = 0)',
    classWeights: false,
  },
  'rescom-no-queue': {
    ...full,
    name: 'rescom-no-queue',
    description: 'ResCom without the queue (hence without mining)',
    queue: false,
    mining: false,
  },
  'rescom-no-mining': {
    ...full,
    name: 'rescom-no-mining',
    description: 'ResCom using every queue key (no hard pair mining)',
    mining: false,
  },
  focal: {
    ...single,
    name: 'focal',
    description: 'focal loss (gamma 2) on view 1 (baseline, Lin et al.)',
    classifier: 'focal',
  },
  'ldam-drw': {
    ...single,
    name: 'ldam-drw',
    description: 'LDAM margins with deferred re-weighting from 80% of the epochs, on view 1 (baseline, Cao et al.)',
    classifier: 'ldam-drw',
  },
};

/** The spec of a method name; throws listing the valid names. */
export function methodSpec(name: string): MethodSpec {
  if (!(METHOD_NAMES as readonly string[]).includes(name)) {
    throw new Error(`methodSpec: method must be one of ${METHOD_NAMES.join(', ')}; got '${name}'`);
  }
  return METHODS[name as MethodName];
}
