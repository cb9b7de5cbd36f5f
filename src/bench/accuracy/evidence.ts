/**
 * The project's evidence for ResCom: the run groups whose committed results (bench/results/protocol)
 * the README, `npm start` and chapter 09 show, each with what it is for. The first is the main
 * evidence; the last is kept for the record.
 */
import type { AccuracyBenchOptions } from './options';
import {
  AUTHORS_CONSTANT_LR_OPTIONS,
  AUTHORS_SUBSET_OPTIONS,
  DEFAULT_ACCURACY_BENCH_OPTIONS,
  LAMBDA_LEAD_OPTIONS,
  LONG_BUDGET_OPTIONS,
  PER_SEED_PROTOCOL,
} from './options';
import { formatProtocolEvidence, loadProtocolEvidence, type ProtocolEvidence } from './protocol';
import { codeBySubset, formatCodeBySubsetText, readReferenceCodeGaps } from './code-by-subset';
import { contrastGroups, formatGroupContrastsText } from './group-contrast';
import { formatReferenceGapText, readReferenceCodeGap, referenceGapRows } from './reference-code';

export interface EvidenceGroup {
  /** Short name, e.g. 'fixed'. */
  id: string;
  /** One line: what the group is. */
  title: string;
  /** The benchmark settings, seeds and methods that plan its runs. */
  options: AccuracyBenchOptions;
}

export const EVIDENCE_GROUPS: readonly EvidenceGroup[] = [
  {
    id: 'fixed',
    title: 'Fixed-subset protocol (fashion-mnist-lt-fixed): one long-tailed subset for every seed, ten seeds',
    options: DEFAULT_ACCURACY_BENCH_OPTIONS,
  },
  {
    id: 'long',
    title: 'Longer budget (fashion-mnist-lt-long): 100 epochs, AutoAugment-style views + Cutout, same subset',
    options: LONG_BUDGET_OPTIONS,
  },
  {
    id: 'lambda-0.25',
    title: 'The validation lead tested once: lambda 0.25 (chosen on validation by bench:tune), same subset',
    options: LAMBDA_LEAD_OPTIONS,
  },
  {
    id: 'authors-constant-lr',
    title:
      "The gap hunt's first hypothesis, refuted by its levels: the reference code's learning rate as written (a constant 0.1, no warm-up) on the reference's own subset, seeds 0-1",
    options: AUTHORS_CONSTANT_LR_OPTIONS,
  },
  {
    id: 'authors',
    title: "Its control: the reference's own subset (fashion-mnist-lt-authors) under this project's schedule (5 warm-up, cosine), seeds 0-3",
    options: AUTHORS_SUBSET_OPTIONS,
  },
  {
    id: 'per-seed',
    title: 'Per-seed-subset protocol (fashion-mnist-lt-ref, the first 27 runs): each seed also draws another subset',
    options: PER_SEED_PROTOCOL,
  },
];

/** Every group's committed results (no training, no tensors). */
export function loadEvidence(options: { dir?: string } = {}): Array<{ group: EvidenceGroup; evidence: ProtocolEvidence }> {
  return EVIDENCE_GROUPS.map((group) => ({
    group,
    evidence: loadProtocolEvidence({
      dir: options.dir,
      settings: group.options,
      seeds: group.options.seeds,
      methods: group.options.methods,
    }),
  }));
}

/** Plain text of every group (`formatProtocolEvidence` each, under its title). */
export function formatEvidence(groups: Array<{ group: EvidenceGroup; evidence: ProtocolEvidence }>, options: { displayDir?: string } = {}): string {
  const reference = readReferenceCodeGap();
  return [
    ...groups.map(({ group, evidence }) => formatProtocolEvidence(evidence, { ...options, title: group.title })),
    formatGroupContrastsText(contrastGroups(groups)),
    formatReferenceGapText(referenceGapRows(groups, reference), reference),
    formatCodeBySubsetText(codeBySubset(groups, readReferenceCodeGaps())),
  ].join('\n');
}
