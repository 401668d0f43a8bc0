/**
 * Experiment 2 (science.md §2.2, §5): Delay Pro, Delay Anti and Memory Pro, then Memory Anti by
 * retraining alone.
 *
 * Context design: every cognitive config carries all four context channels from the start (U = 7);
 * the NM-RNN's context reaches only z (Ux = 3). Memory Anti's channel is simply never active while
 * the three tasks train, so "adding the fourth context channel" means starting to use that column of
 * B_z. Retraining: the NM-RNN trains only its NM subnetwork (W_z, B_z, A_z, b_z; stage 'nm'); the
 * baselines only their input weights (stage 'input'), on Memory Anti trials, lr 1e-2 (§3).
 */
import { findPreset } from '../config/presets';
import { withOverrides } from '../config/schema';
import { evaluateModel, fitPca, projectPca } from '../analysis';
import { Rng } from '../random';
import { TrainingSession } from '../train';
import type { ParamGroup } from '../models/types';
import {
  COGNITIVE_TASKS,
  cognitiveSample,
  isAntiTask,
  percentCorrect,
  type CognitiveTask,
  type TaskBatch,
} from '../tasks';
import { spread, type Spread } from './stats';
import { continueRun, disposeRun, startRun, type ProgressFn, type TrainRun } from './trainRun';

export const MULTITASK_MODELS = [
  { label: 'NM-RNN', preset: 'multitask-nmrnn' },
  { label: 'LR-RNN', preset: 'multitask-lrrnn' },
  { label: 'RNN', preset: 'multitask-rnn' },
  { label: 'LSTM', preset: 'multitask-lstm' },
] as const;

export const RETRAIN_LR = 1e-2;
const HELD_OUT: CognitiveTask = 'memoryAnti';
/** Trials per task on the fixed test set (the experiment's EVAL_SEED set). */
export const TEST_TRIALS_PER_TASK = 25;

export type TaskPercents = Partial<Record<CognitiveTask, number>>;

export interface ProAntiSplit {
  /** 1-based index of the PC of x that best separates Pro from Anti trials. */
  bestPc: number;
  /** d′ (|mean difference| / pooled s.d. of trial-mean projections) for PCs 1…k. */
  dPrime: number[];
  /** Cumulative variance explained by PCs 1…k. */
  cumulative: number[];
}

export interface MultitaskSeedRun {
  seed: number;
  steps: number;
  retrainSteps: number;
  seconds: number;
  retrainSeconds: number;
  finalLoss: number;
  retrainFinalLoss: number;
  stoppedEarly?: string;
  /** After the 3-task training, on the 4-task test set (Memory Anti before any retraining). */
  before: TaskPercents;
  /** After retraining on Memory Anti. */
  after: TaskPercents;
  retrainedGroup: ParamGroup;
  retrainedParams: string[];
  proAnti?: ProAntiSplit;
}

export interface MultitaskModelResult {
  label: string;
  preset: string;
  paramCount: number;
  N: number;
  runs: MultitaskSeedRun[];
  /** Median over seeds of the 3-task percent correct (mean of the three). */
  trainedTasks: Spread;
  heldOutBefore: Spread;
  heldOutAfter: Spread;
}

export interface MultitaskResult {
  experiment: 'multitask';
  steps: number;
  retrainSteps: number;
  seeds: number[];
  trainedTasks: CognitiveTask[];
  heldOut: CognitiveTask;
  models: MultitaskModelResult[];
}

function perTask(batch: TaskBatch, outputs: Float32Array): TaskPercents {
  const pc = percentCorrect(batch, outputs);
  const out: TaskPercents = {};
  for (const t of COGNITIVE_TASKS) {
    const s = pc.perTask[t];
    if (s) out[t] = s.percent;
  }
  return out;
}

/**
 * Which principal component of x separates Pro from Anti trials (science.md §4: PC 5 in the paper).
 * Each trial contributes its projection averaged over the trial (the context is on all trial).
 */
export function proAntiSplit(x: Float32Array, batch: TaskBatch, N: number, k = 10): ProAntiSplit {
  const fit = fitPca(x, N, { components: k });
  const scores = projectPca(fit, x);
  const kk = fit.components.length;
  const { B, T } = batch;
  const dPrime: number[] = [];
  for (let j = 0; j < kk; j++) {
    const pro: number[] = [];
    const anti: number[] = [];
    for (let b = 0; b < B; b++) {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += scores[(b * T + t) * kk + j];
      const task = COGNITIVE_TASKS[batch.meta[b].values.task];
      (isAntiTask(task) ? anti : pro).push(sum / T);
    }
    const m = (v: number[]) => v.reduce((a, c) => a + c, 0) / v.length;
    const varOf = (v: number[], mu: number) =>
      v.reduce((a, c) => a + (c - mu) ** 2, 0) / Math.max(1, v.length - 1);
    const mp = m(pro);
    const ma = m(anti);
    const pooled = Math.sqrt((varOf(pro, mp) + varOf(anti, ma)) / 2);
    dPrime.push(pooled > 0 ? Math.abs(mp - ma) / pooled : NaN);
  }
  let best = 0;
  dPrime.forEach((d, j) => {
    if (d > dPrime[best]) best = j;
  });
  return { bestPc: best + 1, dPrime, cumulative: fit.cumulative.slice(0, kk) };
}

async function scoreAllTasks(
  run: TrainRun,
): Promise<{ percents: TaskPercents; x?: Float32Array; batch: TaskBatch }> {
  const set = run.experiment.evalSets.find((s) => s.name === 'all-tasks');
  if (!set) throw new Error('multitask experiment has no all-tasks set');
  const ev = await evaluateModel(run.model, set.batch, { impl: run.impl });
  return { percents: perTask(set.batch, ev.outputs.data), x: ev.states.x?.data, batch: set.batch };
}

export async function runMultitask(opts: {
  seeds: number[];
  steps: number;
  retrainSteps: number;
  models?: readonly string[];
  onProgress?: ProgressFn;
  progressEvery?: number;
}): Promise<MultitaskResult> {
  const chosen = MULTITASK_MODELS.filter((m) => !opts.models || opts.models.includes(m.label));
  const models: MultitaskModelResult[] = [];
  let trainedTasks: CognitiveTask[] = [];
  for (const spec of chosen) {
    const preset = findPreset(spec.preset);
    if (!preset) throw new Error(`missing preset ${spec.preset}`);
    const runs: MultitaskSeedRun[] = [];
    let paramCount = 0;
    for (const seed of opts.seeds) {
      const config = withOverrides(preset.config, {
        seeds: { init: seed, data: seed },
        training: { steps: opts.steps },
      });
      trainedTasks = [...config.task.multitask.tasks];
      const run = startRun(config);
      let retrain: TrainingSession | undefined;
      try {
        await continueRun(run, {
          steps: opts.steps,
          label: `${spec.label} seed ${seed} (3 tasks)`,
          onProgress: opts.onProgress,
          progressEvery: opts.progressEvery,
        });
        paramCount = run.model.paramCount();
        const before = await scoreAllTasks(run);
        const isNm = run.experiment.modelConfig.kind === 'nmrnn';
        const proAnti =
          isNm && before.x
            ? proAntiSplit(before.x, before.batch, run.experiment.modelConfig.N)
            : undefined;

        // Retraining is a new phase with its own optimiser on Memory Anti trials only.
        const group: ParamGroup = isNm ? 'nm' : 'input';
        const rng = new Rng(seed).stream('memory-anti-retrain');
        const bs = config.training.batchSize || 64;
        retrain = new TrainingSession(
          run.model,
          () => cognitiveSample(rng, bs, { tasks: [HELD_OUT] }),
          {
            lr: RETRAIN_LR,
            stage: group,
            optimizer: { kind: 'adamw', weightDecay: 1e-4, clip: 1 },
            impl: run.impl,
          },
        );
        const t0 = performance.now();
        let retrainFinalLoss = NaN;
        let retrainSteps = 0;
        for (let i = 0; i < opts.retrainSteps; i++) {
          const r = await retrain.step();
          if (!r.ok) {
            run.stoppedEarly = `retraining: ${r.reason}`;
            break;
          }
          retrainFinalLoss = r.loss;
          retrainSteps++;
          const every = opts.progressEvery ?? 100;
          if ((i + 1) % every === 0 || i + 1 === opts.retrainSteps) {
            opts.onProgress?.({
              label: `${spec.label} seed ${seed} (retrain ${group} on Memory Anti)`,
              step: i + 1,
              steps: opts.retrainSteps,
              loss: r.loss,
            });
          }
        }
        const retrainSeconds = (performance.now() - t0) / 1000;
        const after = await scoreAllTasks(run);
        runs.push({
          seed,
          steps: run.losses.length,
          retrainSteps,
          seconds: run.seconds,
          retrainSeconds,
          finalLoss: run.losses[run.losses.length - 1] ?? NaN,
          retrainFinalLoss,
          ...(run.stoppedEarly ? { stoppedEarly: run.stoppedEarly } : {}),
          before: before.percents,
          after: after.percents,
          retrainedGroup: group,
          retrainedParams: run.model.groups[group],
          proAnti,
        });
      } finally {
        retrain?.dispose();
        disposeRun(run);
      }
    }
    const trainedMean = (p: TaskPercents) =>
      trainedTasks.reduce((a, t) => a + (p[t] ?? NaN), 0) / trainedTasks.length;
    models.push({
      label: spec.label,
      preset: spec.preset,
      paramCount,
      N: preset.config.model.N,
      runs,
      trainedTasks: spread(runs.map((r) => trainedMean(r.before))),
      heldOutBefore: spread(runs.map((r) => r.before[HELD_OUT] ?? NaN)),
      heldOutAfter: spread(runs.map((r) => r.after[HELD_OUT] ?? NaN)),
    });
  }
  return {
    experiment: 'multitask',
    steps: opts.steps,
    retrainSteps: opts.retrainSteps,
    seeds: opts.seeds,
    trainedTasks,
    heldOut: HELD_OUT,
    models,
  };
}
