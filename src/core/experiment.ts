/**
 * Glue from an ExperimentConfig to what a run needs: the resolved model configuration (input and
 * output sizes come from the task), the training-batch source, the fixed evaluation sets and the
 * task's metrics. The CLI, the worker and the reproduction scripts all start here, so a config
 * means the same run everywhere.
 */
import type { ExperimentConfig, TrialPool } from './config/schema';
import type { ModelConfig } from './models/types';
import { Rng } from './random';
import type { TrainingSessionOptions } from './train/session';
import type { BatchSource, TaskBatch } from './tasks/types';
import { COGNITIVE_TASKS, type CognitiveTask } from './tasks/types';
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
  sampleFromPool,
  withInputNoise,
  addInputNoise,
} from './tasks';

/** Inputs: fixation, sin θ, cos θ; then one context channel per cognitive task (docs/SCIENCE.md §2.2). */
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
      // Only the NM-RNN separates the paths: its context reaches z alone (docs/SCIENCE.md §1.2).
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
  nextBatch: BatchSource;
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
      nextBatch: bs === 0 ? () => train : (reuse) => mwgSample(dataRng, bs, opts, reuse),
      evalSets: [
        { name: 'extrapolate', batch: mwgEvalSet(opts) },
        { name: 'train', batch: train },
      ],
      metrics: (set, outputs) => flattenMwg(mwgMetrics(set.batch, outputs), set.batch),
    };
  }

  if (family === 'multitask') {
    const { tasks, data } = config.task.multitask;
    const bs = config.training.batchSize === 0 ? 64 : config.training.batchSize;
    return {
      config,
      modelConfig,
      nextBatch: multitaskBatches(dataRng, bs, tasks, data),
      evalSets: [
        { name: 'test', batch: cognitiveTestSet(EVAL_SEED, EVAL_PER_TASK, tasks) },
        {
          name: 'all-tasks',
          batch: cognitiveTestSet(EVAL_SEED, EVAL_PER_TASK, [...COGNITIVE_TASKS]),
        },
      ],
      metrics: (set, outputs) => ({
        ...flattenPercent(percentCorrect(set.batch, outputs)),
        ...flattenPercent(percentCorrect(set.batch, outputs, 'arctan'), 'percentCorrectArctan'),
      }),
    };
  }

  const eftOpts = { length: config.task.eft.length };
  const bs = config.training.batchSize === 0 ? 128 : config.training.batchSize;
  return {
    config,
    modelConfig,
    nextBatch: (reuse) => eftSample(dataRng, bs, eftOpts, reuse),
    evalSets: [{ name: 'test', batch: eftTestSet(EVAL_SEED, EFT_EVAL_TRIALS, eftOpts) }],
    metrics: (set, outputs) => flattenEft(eftMetrics(set.batch, outputs)),
  };
}

/**
 * Training batches for the cognitive tasks: fresh trials every step, or (poolTrials > 0) draws
 * with replacement from one fixed, optionally noisy, pool (docs/SCIENCE.md "Multitask data").
 */
export function multitaskBatches(
  rng: Rng,
  batchSize: number,
  tasks: readonly CognitiveTask[],
  data: TrialPool,
): BatchSource {
  if (data.poolTrials === 0) {
    if (data.inputNoise === 0) return (reuse) => cognitiveSample(rng, batchSize, { tasks }, reuse);
    const noise = rng.stream('input-noise');
    return (reuse) =>
      addInputNoise(cognitiveSample(rng, batchSize, { tasks }, reuse), noise, data.inputNoise);
  }
  const pool = withInputNoise(
    cognitiveSample(rng.stream('pool'), data.poolTrials, { tasks }),
    rng.stream('pool-noise'),
    data.inputNoise,
  );
  const draws = rng.stream('pool-draws');
  return (reuse) => sampleFromPool(pool, draws, batchSize, reuse);
}

function flattenMwg(m: ReturnType<typeof mwgMetrics>, batch: TaskBatch): Metrics {
  const out: Metrics = {
    mse: m.mseByGroup.all,
    mseTrained: m.mseByGroup.trained,
    mseExtrapolated: m.mseByGroup.extrapolated,
    mseShort: m.mseByGroup.short,
    mseLong: m.mseByGroup.long,
    mseRamp: m.mseRamp.reduce((a, v) => a + v, 0) / m.mseRamp.length,
  };
  // Produced interval per evaluated interval, keyed so tables and the UI can list them.
  batch.meta.forEach((meta, b) => {
    out[`produced.I${meta.values.interval}`] = m.produced[b];
    out[`producedAuthors.I${meta.values.interval}`] = m.producedAuthors[b];
  });
  return out;
}

function flattenPercent(m: ReturnType<typeof percentCorrect>, key = 'percentCorrect'): Metrics {
  const out: Metrics = { [key]: m.overall.percent };
  for (const [task, score] of Object.entries(m.perTask)) {
    if (score) out[`${key}.${task}`] = score.percent;
  }
  return out;
}

function flattenEft(m: ReturnType<typeof eftMetrics>): Metrics {
  const out: Metrics = { mse: m.mse, chanceMse: m.chanceMse, accuracy: m.accuracy };
  m.mseByQuery.forEach((v, q) => {
    out[`mseByQuery.q${q}`] = v;
  });
  return out;
}

/** The trainer options an experiment config asks for (docs/SCIENCE.md §3), shared by CLI and worker. */
export function trainingOptionsFor(config: ExperimentConfig): TrainingSessionOptions {
  const t = config.training;
  return {
    lr: t.lr,
    stage: t.stage,
    optimizer: { kind: t.optimizer, weightDecay: t.weightDecay, clip: t.clip, epsilon: t.eps },
  };
}

export const TASK_SET_NAMES = ['train', 'extrapolate', 'test'] as const;
export type TaskSetName = (typeof TASK_SET_NAMES)[number];

/**
 * The evaluation set a name denotes for this experiment. 'train': MWG's 40-trial training set, or
 * for sampled tasks one training-distribution batch drawn with the data seed; 'extrapolate': MWG's
 * 12 intervals (4–26), or for the cognitive tasks all four tasks including held-out ones; 'test':
 * the task's fixed evaluation set (for MWG the same 12 intervals).
 */
export function evalSetByName(exp: Experiment, name: TaskSetName): EvalSet {
  const family = exp.config.task.family;
  const find = (n: string): EvalSet => {
    const s = exp.evalSets.find((e) => e.name === n);
    if (!s) throw new Error(`no "${n}" set for ${family}`);
    return s;
  };
  if (family === 'mwg') return find(name === 'train' ? 'train' : 'extrapolate');
  if (name === 'train') return { name: 'train', batch: exp.nextBatch() };
  if (family === 'multitask') return find(name === 'extrapolate' ? 'all-tasks' : 'test');
  if (name === 'extrapolate') {
    throw new Error(
      'the Element Finder task has no extrapolation set; use --task-set test or train',
    );
  }
  return find('test');
}
