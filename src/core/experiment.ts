/**
 * Glue from an ExperimentConfig to what a run needs: the resolved model configuration (input and
 * output sizes come from the task), the training-batch source, the fixed evaluation sets and the
 * task's metrics. The CLI, the worker and the reproduction scripts all start here, so a config
 * means the same run everywhere.
 */
import type { ExperimentConfig } from './config/schema';
import type { ModelConfig } from './models/types';
import { Rng } from './random';
import type { TaskBatch } from './tasks/types';
import { COGNITIVE_TASKS } from './tasks/types';
import {
  mwgTrainingSet,
  mwgEvalSet,
  mwgSample,
  mwgMetrics,
  cognitiveSample,
  cognitiveTestSet,
  percentCorrect,
  eftSample,
  eftTestSet,
  eftMetrics,
} from './tasks';

/** Inputs: fixation, sin θ, cos θ; then one context channel per cognitive task (science.md §2.2). */
const COGNITIVE_STIMULUS_CHANNELS = 3;

/** Fixed seed of every evaluation set, so metrics are comparable across runs and machines. */
export const EVAL_SEED = 12345;
const EVAL_PER_TASK = 25;
const EFT_EVAL_TRIALS = 500;

export function taskDims(config: ExperimentConfig): { U: number; Ux: number; O: number } {
  switch (config.task.family) {
    case 'mwg':
      return { U: 3, Ux: 3, O: 1 };
    case 'multitask': {
      // Every task keeps its context channel even when it is not in the training mix, so a
      // held-out task can be learned later by retraining alone (the paper's Memory Anti protocol).
      const U = COGNITIVE_STIMULUS_CHANNELS + COGNITIVE_TASKS.length;
      // Only the NM-RNN separates the paths: its context reaches z alone (science.md §1.2).
      const Ux = config.model.kind === 'nmrnn' ? COGNITIVE_STIMULUS_CHANNELS : U;
      return { U, Ux, O: 3 };
    }
    case 'eft':
      return { U: 1, Ux: 1, O: 1 };
  }
}

export function resolveModelConfig(config: ExperimentConfig): ModelConfig {
  return { ...config.model, ...taskDims(config) };
}

export interface EvalSet {
  /** e.g. 'train', 'extrapolate', 'test'. */
  name: string;
  batch: TaskBatch;
}

export type Metrics = Record<string, number>;

export interface Experiment {
  config: ExperimentConfig;
  modelConfig: ModelConfig;
  /** The next training batch (MWG full batch: the same object every call). */
  nextBatch: () => TaskBatch;
  /** Fixed sets on which the task's metrics are reported; the first is the one plots show. */
  evalSets: EvalSet[];
  /** Task metrics of outputs [B,T,O] on one of the eval sets, flat and named for tables. */
  metrics: (set: EvalSet, outputs: Float32Array) => Metrics;
}

export function createExperiment(config: ExperimentConfig): Experiment {
  const modelConfig = resolveModelConfig(config);
  const dataRng = new Rng(config.seeds.data).stream('trials');
  const { family } = config.task;

  if (family === 'mwg') {
    const opts = { trainIntervals: config.task.mwg.trainIntervals, delay: config.task.mwg.delay };
    const train = mwgTrainingSet(opts);
    const bs = config.training.batchSize;
    return {
      config,
      modelConfig,
      nextBatch: bs === 0 ? () => train : () => mwgSample(dataRng, bs, opts),
      evalSets: [
        { name: 'extrapolate', batch: mwgEvalSet(opts) },
        { name: 'train', batch: train },
      ],
      metrics: (set, outputs) => flattenMwg(mwgMetrics(set.batch, outputs)),
    };
  }

  if (family === 'multitask') {
    const tasks = config.task.multitask.tasks;
    const bs = config.training.batchSize === 0 ? 64 : config.training.batchSize;
    return {
      config,
      modelConfig,
      nextBatch: () => cognitiveSample(dataRng, bs, { tasks }),
      evalSets: [
        { name: 'test', batch: cognitiveTestSet(EVAL_SEED, EVAL_PER_TASK, tasks) },
        { name: 'all-tasks', batch: cognitiveTestSet(EVAL_SEED, EVAL_PER_TASK, [...COGNITIVE_TASKS]) },
      ],
      metrics: (set, outputs) => flattenPercent(percentCorrect(set.batch, outputs)),
    };
  }

  const eftOpts = { length: config.task.eft.length };
  const bs = config.training.batchSize === 0 ? 128 : config.training.batchSize;
  return {
    config,
    modelConfig,
    nextBatch: () => eftSample(dataRng, bs, eftOpts),
    evalSets: [{ name: 'test', batch: eftTestSet(EVAL_SEED, EFT_EVAL_TRIALS, eftOpts) }],
    metrics: (set, outputs) => flattenEft(eftMetrics(set.batch, outputs)),
  };
}

function flattenMwg(m: ReturnType<typeof mwgMetrics>): Metrics {
  return m as unknown as Metrics;
}
function flattenPercent(m: ReturnType<typeof percentCorrect>): Metrics {
  return m as unknown as Metrics;
}
function flattenEft(m: ReturnType<typeof eftMetrics>): Metrics {
  return m as unknown as Metrics;
}
