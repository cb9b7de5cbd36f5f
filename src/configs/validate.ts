/**
 * Checks a whole config: every field present with the right type and range, no unknown field, and
 * the cross-field rules (schedule milestones inside the run, mining sizes the queue can supply).
 * Each problem is reported with the field name and what it accepts.
 */
import { CONFIG_FIELDS, CONFIG_SCHEMA, describeField } from './schema';
import { DATASET_NUM_CLASSES, type ExperimentConfig } from './types';
import { editDistance } from '../util/edit-distance';

/** What a config `name` may be: it names a folder under runs/. */
const SAFE_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/** Return `value` typed as a config, or throw one Error listing every problem found. */
export function validateConfig(value: Record<string, unknown>, where = 'validateConfig'): ExperimentConfig {
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!(key in CONFIG_SCHEMA)) problems.push(unknownFieldMessage(key));
  }
  for (const field of CONFIG_FIELDS) {
    if (!(field in value)) {
      problems.push(`field '${field}' is missing (expected ${describeField(field)})`);
      continue;
    }
    const problem = checkField(field, value[field]);
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) problems.push(...crossFieldProblems(value as unknown as ExperimentConfig));
  if (problems.length > 0)
    throw new Error(
      `${where}: invalid config${value.name ? ` '${String(value.name)}'` : ''}:\n  ${problems.join('\n  ')}`,
    );
  return value as unknown as ExperimentConfig;
}

/** The message for a field name that the config does not have, with the closest valid names. */
export function unknownFieldMessage(key: string): string {
  const close = CONFIG_FIELDS.filter(
    (f) => f.toLowerCase().includes(key.toLowerCase()) || editDistance(f.toLowerCase(), key.toLowerCase()) <= 2,
  );
  return `unknown field '${key}'${close.length ? ` (did you mean ${close.join(' or ')}?)` : ''}; fields are: ${CONFIG_FIELDS.join(', ')}`;
}

function checkField(field: keyof ExperimentConfig, v: unknown): string | null {
  const spec = CONFIG_SCHEMA[field];
  const bad = () => `field '${field}' must be ${describeField(field)}; got ${JSON.stringify(v)}`;
  switch (spec.kind) {
    case 'string':
      if (typeof v !== 'string') return bad();
      // The name becomes the default run folder's name: no path separators, no '..'.
      return field === 'name' && !SAFE_NAME.test(v)
        ? `field 'name' must be letters, digits, '.', '_' or '-' (no path separators, not '.' or '..'); got ${JSON.stringify(v)}`
        : null;
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v) ? null : bad();
    case 'int':
      return Number.isInteger(v) && (v as number) >= spec.min && (spec.max === undefined || (v as number) <= spec.max)
        ? null
        : bad();
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad();
      const aboveMin = spec.exclusiveMin ? v > spec.min : v >= spec.min;
      return aboveMin && (spec.max === undefined || v <= spec.max) ? null : bad();
    }
    case 'int[]':
      return Array.isArray(v) &&
        v.every((x) => Number.isInteger(x) && x >= spec.min && (spec.max === undefined || x <= spec.max))
        ? null
        : bad();
    case 'number[]':
      return Array.isArray(v) &&
        v.every(
          (x) =>
            typeof x === 'number' && Number.isFinite(x) && x >= spec.min && (spec.max === undefined || x <= spec.max),
        )
        ? null
        : bad();
  }
}

function crossFieldProblems(c: ExperimentConfig): string[] {
  const problems: string[] = [];
  if (c.warmupEpochs >= c.epochs)
    problems.push(`field 'warmupEpochs' (${c.warmupEpochs}) must be < epochs (${c.epochs})`);
  if (c.schedule === 'step') {
    if (c.stepEpochs.length !== c.stepFactors.length) {
      problems.push(
        `fields 'stepEpochs' (${c.stepEpochs.length} values) and 'stepFactors' (${c.stepFactors.length} values) must have the same length`,
      );
    }
    for (let i = 1; i < c.stepEpochs.length; i++) {
      if (c.stepEpochs[i] <= c.stepEpochs[i - 1])
        problems.push(`field 'stepEpochs' must be strictly increasing; got ${c.stepEpochs.join(',')}`);
    }
  }
  if (c.valPerClass > 0 && c.valFraction > 0) {
    problems.push(
      `fields 'valPerClass' (${c.valPerClass}) and 'valFraction' (${c.valFraction}) are two ways to make the validation split: set one of them to 0`,
    );
  }
  const numClasses = DATASET_NUM_CLASSES[c.dataset];
  if (c.selectNumPos > c.queuePerClass) {
    problems.push(`field 'selectNumPos' (Q_p = ${c.selectNumPos}) must be <= queuePerClass (K = ${c.queuePerClass})`);
  }
  if (c.selectNumNeg > c.queuePerClass * (numClasses - 1)) {
    problems.push(
      `field 'selectNumNeg' (Q_n = ${c.selectNumNeg}) must be <= queuePerClass * (classes - 1) = ${c.queuePerClass} * ${numClasses - 1} = ${c.queuePerClass * (numClasses - 1)} for ${c.dataset}`,
    );
  }
  return problems;
}
