/**
 * Field-by-field description of `ExperimentConfig`: its type, range and allowed values, and for a
 * field added after the first config version, the version that added it and the value that gives
 * the behaviour from before (`since`, `default`). One table drives command-line parsing, validation,
 * the `--help` text and the loading of older saved configs (version.ts), so they cannot drift apart;
 * `fieldsMatchTheirKinds` below makes the compiler check each field's TypeScript type against its kind.
 */
import {
  AUGMENT_NAMES,
  BACKBONE_NAMES,
  DATASET_NAMES,
  METHOD_NAMES,
  PROFILE_NAMES,
  SCHEDULE_NAMES,
  type ExperimentConfig,
} from './types';

/** A field added in config version `since` (> 1); older saved configs get `default`. */
interface Later<T> {
  since?: number;
  default?: T;
}

export type FieldSpec =
  | ({ kind: 'string'; doc: string } & Later<string>)
  | ({ kind: 'enum'; values: readonly string[]; doc: string } & Later<string>)
  | ({ kind: 'int'; min: number; max?: number; doc: string } & Later<number>)
  | ({ kind: 'number'; min: number; max?: number; exclusiveMin?: boolean; doc: string } & Later<number>)
  | ({ kind: 'int[]'; min: number; max?: number; doc: string } & Later<number[]>)
  | ({ kind: 'number[]'; min: number; max?: number; doc: string } & Later<number[]>);

/** The TypeScript type a field of each kind holds. */
interface KindTypes {
  string: string;
  enum: string;
  int: number;
  number: number;
  'int[]': number[];
  'number[]': number[];
}

const SCHEMA = {
  name: { kind: 'string', doc: 'config name the run started from' },
  dataset: { kind: 'enum', values: DATASET_NAMES, doc: 'dataset' },
  dataDir: { kind: 'string', doc: "folder with the dataset files ('' for the embedded set)" },
  imbalanceFactor: { kind: 'number', min: 1, max: 1e6, doc: 'imbalance factor n_max/n_min of the long-tailed subset' },
  imbalanceProfile: { kind: 'enum', values: PROFILE_NAMES, doc: 'imbalance profile' },
  nMax: {
    kind: 'int',
    min: 0,
    max: 10_000_000,
    since: 2,
    default: 0,
    doc: 'head-class size n_max of the long-tailed subset (0: the whole class of the full split)',
  },
  imageSize: { kind: 'int', min: 8, max: 1024, doc: 'input side for image-list datasets' },
  backbone: { kind: 'enum', values: BACKBONE_NAMES, doc: 'backbone network' },
  method: { kind: 'enum', values: METHOD_NAMES, doc: 'training method' },
  epochs: { kind: 'int', min: 1, max: 10_000, doc: 'training epochs' },
  batchSize: { kind: 'int', min: 2, max: 65_536, doc: 'images per batch (per view)' },
  lr: { kind: 'number', min: 0, exclusiveMin: true, max: 10, doc: 'peak learning rate' },
  momentum: { kind: 'number', min: 0, max: 0.999, doc: 'SGD momentum' },
  weightDecay: { kind: 'number', min: 0, max: 1, doc: 'L2 weight decay (added to the gradient)' },
  warmupEpochs: { kind: 'int', min: 0, max: 10_000, doc: 'linear warm-up epochs' },
  schedule: { kind: 'enum', values: SCHEDULE_NAMES, doc: 'learning-rate schedule after warm-up' },
  stepEpochs: {
    kind: 'int[]',
    min: 0,
    max: 10_000,
    doc: 'step schedule: epochs where the factors start (comma-separated)',
  },
  stepFactors: { kind: 'number[]', min: 0, max: 1000, doc: 'step schedule: lr multipliers (comma-separated)' },
  minLrFactor: { kind: 'number', min: 0, max: 1, doc: 'cosine schedule: final lr / lr' },
  temperature: { kind: 'number', min: 0, exclusiveMin: true, max: 100, doc: 'contrastive temperature tau' },
  conWeight: { kind: 'number', min: 0, max: 1000, doc: 'weight lambda of the contrastive loss' },
  effectiveNumBeta: { kind: 'number', min: 0, max: 0.99999999, doc: 'effective-number beta (0: no class weights)' },
  queuePerClass: { kind: 'int', min: 1, max: 100_000, doc: 'K, queue keys per class' },
  selectNumPos: { kind: 'int', min: 1, max: 100_000, doc: 'Q_p, hard positives mined per anchor' },
  selectNumNeg: { kind: 'int', min: 1, max: 10_000_000, doc: 'Q_n, hard negatives mined per anchor' },
  projectionDim: { kind: 'int', min: 1, max: 65_536, doc: 'projection size dim_con' },
  augment: { kind: 'enum', values: AUGMENT_NAMES, doc: 'augmentation preset for both views' },
  valFraction: { kind: 'number', min: 0, max: 0.5, doc: 'share of the training subset held out for validation' },
  valPerClass: {
    kind: 'int',
    min: 0,
    since: 3,
    default: 0,
    doc: 'balanced validation images per class from the full split outside the subset (0: use valFraction)',
  },
  subsetSeed: {
    kind: 'int',
    min: -1,
    max: 2 ** 31 - 1,
    since: 4,
    default: -1,
    doc: 'seed of the long-tailed subset and its validation split (-1: the run seed, a new subset per seed)',
  },
  subsetList: {
    kind: 'string',
    since: 4,
    default: '',
    doc: "training rows of the long-tailed subset from a list (a name in data/subsets/ or a .json path; '' draws them)",
  },
  seed: {
    kind: 'int',
    min: 0,
    max: 2 ** 31 - 1,
    doc: 'seed of every random choice (of the subset too when subsetSeed is -1)',
  },
  evalBatchSize: { kind: 'int', min: 1, max: 65_536, doc: 'batch size of validation / test passes' },
} as const satisfies Record<keyof ExperimentConfig, FieldSpec>;

/** Fields whose TypeScript type differs from what their schema kind holds (none: `never`). */
type MismatchedFields = {
  [F in keyof ExperimentConfig]: ExperimentConfig[F] extends KindTypes[(typeof SCHEMA)[F]['kind']] ? never : F;
}[keyof ExperimentConfig];
/** Compile-time check: a field whose type does not match its kind fails here, naming the field. */
const fieldsMatchTheirKinds: [MismatchedFields] extends [never] ? true : MismatchedFields = true;
void fieldsMatchTheirKinds;

export const CONFIG_SCHEMA: Readonly<Record<keyof ExperimentConfig, FieldSpec>> = SCHEMA;

export const CONFIG_FIELDS = Object.keys(CONFIG_SCHEMA) as (keyof ExperimentConfig)[];

/** What a field accepts, in words (used in error messages and --help). */
export function describeField(field: keyof ExperimentConfig): string {
  const spec = CONFIG_SCHEMA[field];
  switch (spec.kind) {
    case 'string':
      return 'a string';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'int':
      return `an integer >= ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
    case 'number':
      return `a number ${spec.exclusiveMin ? '>' : '>='} ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
    case 'int[]':
      return `comma-separated integers >= ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
    case 'number[]':
      return `comma-separated numbers >= ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
  }
}
