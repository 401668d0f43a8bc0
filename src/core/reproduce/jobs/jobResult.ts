/**
 * What a finished reproduction job records: its result file's shape (metrics, a thinned training
 * history, the experiment's analyses) and the model files written beside it.
 */
import type { ParamGroup } from '../../models/types';
import type { Rank1Analysis } from '../rank1';
import type { ProAntiSplit } from '../analyses';
import type { PhaseLog } from '../trainRun';
import type { JobSpec, RetrainSpec } from './plan';

export const JOB_RESULT_FORMAT = 'nmrnn-playground/job-result';
export const JOB_RESULT_VERSION = 1;

export type JobMetrics = Record<string, number | null>;

/** A training history small enough to commit and ship: ≤ HISTORY_POINTS loss blocks and evals. */
export const HISTORY_POINTS = 250;

export interface TrainingHistory {
  /** Mean training loss over consecutive blocks of `lossBlock` steps. */
  lossBlock: number;
  loss: number[];
  /** Metrics of the evaluation sets at regular steps. */
  evals: { step: number; metrics: JobMetrics }[];
}

export interface JobResult {
  format: typeof JOB_RESULT_FORMAT;
  version: number;
  id: string;
  experiment: JobSpec['experiment'];
  model: string;
  label: string;
  preset: string;
  protocol: JobSpec['protocol'];
  seed: number;
  /** Set when the budget was scaled down for a smoke test; the report leaves such results out. */
  budgetScale?: number;
  paramCount: number;
  steps: number;
  seconds: number;
  finalLoss: number | null;
  stoppedEarly?: string;
  phases: PhaseLog[];
  /** Final metrics, keyed `<evalSet>.<metric>` like model files. */
  metrics: JobMetrics;
  history: TrainingHistory;
  /**
   * MWG NM-RNN: each s_k clamped to 0 over the whole trial; the metrics of the extrapolation set,
   * keyed without the set's name (`produced.I4`, `mseTrained`).
   */
  ablations?: { k: number; metrics: JobMetrics }[];
  /** MWG rank-1 NM-RNN: trained s(t) against the rank-1 theory (docs/SCIENCE.md §4). */
  rank1?: Rank1Analysis;
  /** Multitask NM-RNN: the principal component of x that best separates Pro from Anti trials. */
  proAnti?: ProAntiSplit;
  /** Multitask: Memory Anti retraining. */
  retrain?: {
    spec: RetrainSpec;
    group: ParamGroup;
    steps: number;
    seconds: number;
    finalLoss: number | null;
    stoppedEarly?: string;
    lossBlock: number;
    loss: number[];
    /** Metrics after retraining (the trained-task set and the four-task set). */
    metrics: JobMetrics;
  };
  /** Model files (model-file format) of the trained and, for multitask, the retrained network. */
  modelFiles: { trained: string; retrained?: string };
  /** Where it ran; `threads`: step threads sharing each step (absent: one, before they existed). */
  run: { machine: string; date: string; command: string; threads?: number };
}

export interface JobOutput {
  result: Omit<JobResult, 'modelFiles' | 'run'>;
  /** Serialized model files, written beside the result. */
  models: { trained: string; retrained?: string };
}
