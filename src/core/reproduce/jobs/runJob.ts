/**
 * Run one reproduction job end to end: train through its schedule, score it with the task's
 * metrics (both interval definitions, both decodings), run the experiment's extra analysis (MWG
 * ablations, multitask Memory Anti retraining) and return everything its result file records.
 */
import { evaluateModel } from '../../analysis';
import { trainingOptionsFor } from '../../experiment';
import { nonFiniteAsNull, serializeModel } from '../../io/modelFile';
import type { ParamArrays, ParamGroup } from '../../models/types';
import { Rng } from '../../random';
import { cognitiveSample, sampleFromPool, withInputNoise } from '../../tasks';
import { COGNITIVE_TASKS, type TaskBatch } from '../../tasks/types';
import { runPhase, TrainingSession } from '../../train';
import { createdWith, jsonSafe } from '../../io/experimentFile';
import { clampAblation, proAntiSplit, type ProAntiSplit } from '../analyses';
import { analyzeRank1, type Rank1Analysis } from '../rank1';
import { blockMeans } from '../stats';
import {
  disposeRun,
  evaluateRun,
  startRun,
  trainPhases,
  type EvalPoint,
  type PhaseLog,
  type ProgressFn,
  type TrainRun,
} from '../trainRun';
import { phasesOf } from '../../config/schema';
import type { JobSpec, RetrainSpec } from './plan';

export const JOB_RESULT_FORMAT = 'nmrnn-playground/job-result';
export const JOB_RESULT_VERSION = 1;

type Metrics = Record<string, number | null>;

/** A training history small enough to commit and ship: ≤ HISTORY_POINTS loss blocks and evals. */
export const HISTORY_POINTS = 250;

export interface TrainingHistory {
  /** Mean training loss over consecutive blocks of `lossBlock` steps. */
  lossBlock: number;
  loss: number[];
  /** Metrics of the evaluation sets at regular steps. */
  evals: { step: number; metrics: Metrics }[];
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
  metrics: Metrics;
  history: TrainingHistory;
  /**
   * MWG NM-RNN: each s_k clamped to 0 over the whole trial; the metrics of the extrapolation set,
   * keyed without the set's name (`produced.I4`, `mseTrained`).
   */
  ablations?: { k: number; metrics: Metrics }[];
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
    metrics: Metrics;
  };
  /** Model files (model-file format) of the trained and, for multitask, the retrained network. */
  modelFiles: { trained: string; retrained?: string };
  run: { machine: string; date: string; command: string };
}

export interface JobOutput {
  result: Omit<JobResult, 'modelFiles' | 'run'>;
  /** Serialized model files, written beside the result. */
  models: { trained: string; retrained?: string };
}

const finite = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

/**
 * Per-item breakdowns (MSE by query position, produced interval per I) stay out of the history:
 * the final metrics keep them, and the curves would make each result file 20× larger.
 */
export const historyKey = (key: string): boolean => !/mseByQuery|produced/.test(key);

const pick = (metrics: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(metrics).filter(([k]) => historyKey(k)));

/** A deep copy with every non-finite number as null (JSON has none). */
/** A value as it will read back from JSON: non-finite numbers become null. */
export const jsonSafeDeep = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value, nonFiniteAsNull)) as T;

export function thinHistory(
  losses: readonly number[],
  evals: readonly EvalPoint[],
): TrainingHistory {
  const lossBlock = Math.max(1, Math.ceil(losses.length / HISTORY_POINTS));
  const stride = Math.max(1, Math.ceil(evals.length / HISTORY_POINTS));
  return {
    lossBlock,
    loss: blockMeans(losses, lossBlock),
    evals: evals
      .filter((_, i) => i % stride === 0 || i === evals.length - 1)
      .map((e) => ({ step: e.step, metrics: jsonSafe(pick(e.metrics)) })),
  };
}

function modelText(
  run: TrainRun,
  spec: JobSpec,
  params: ParamArrays,
  metrics: Metrics,
  extra: string,
): string {
  return serializeModel({
    config: { ...run.experiment.modelConfig, experiment: spec.config },
    params,
    metrics,
    seeds: spec.config.seeds,
    createdWith: createdWith('reproduce', run.losses.length, { job: spec.id, stage: extra }),
  });
}

async function mwgAblations(run: TrainRun): Promise<{ k: number; metrics: Metrics }[]> {
  const cfg = run.experiment.modelConfig;
  if (cfg.kind !== 'nmrnn') return [];
  const set = run.experiment.evalSets.find((s) => s.name === 'extrapolate');
  if (!set) return [];
  const out: { k: number; metrics: Metrics }[] = [];
  for (let k = 0; k < cfg.R; k++) {
    const ev = await evaluateModel(run.model, set.batch, {
      impl: run.impl,
      ablation: clampAblation(cfg.R, k),
    });
    out.push({ k, metrics: jsonSafe(run.experiment.metrics(set, ev.outputs.data)) });
  }
  return out;
}

/** Channel of a task's context input (fixation, sin, cos, then one per task). */
const contextChannel = (task: (typeof COGNITIVE_TASKS)[number]): number =>
  3 + COGNITIVE_TASKS.indexOf(task);

/** The input matrices whose column `channel` a new context feeds: B_z, B or the LSTM's four. */
function inputMatrices(run: TrainRun): string[] {
  const kind = run.experiment.modelConfig.kind;
  if (kind === 'nmrnn') return ['Bz'];
  if (kind === 'lstm') return ['Wi', 'Wf', 'Wg', 'Wo'];
  return ['Bx'];
}

async function setInputColumn(run: TrainRun, channel: number, value: number): Promise<void> {
  const params = await run.session.getParams();
  const changed: ParamArrays = {};
  for (const name of inputMatrices(run)) {
    const p = params[name];
    const [rows, cols] = p.shape;
    const data = Float32Array.from(p.data);
    for (let r = 0; r < rows; r++) data[r * cols + channel] = value;
    changed[name] = { shape: p.shape, data };
  }
  run.session.setParams(changed);
}

/** Memory Anti batches for retraining: fresh, or draws from a pool with noisy old contexts. */
function retrainBatches(spec: RetrainSpec, seed: number): () => TaskBatch {
  const rng = new Rng(seed).stream('memory-anti-retrain');
  const tasks = ['memoryAnti'] as const;
  if (spec.poolTrials === 0) return () => cognitiveSample(rng, spec.batchSize, { tasks });
  const old = (['delayPro', 'delayAnti', 'memoryPro'] as const).map(contextChannel);
  const pool = withInputNoise(
    cognitiveSample(rng.stream('pool'), spec.poolTrials, { tasks }),
    rng.stream('noise'),
    spec.oldContextNoise,
    old,
  );
  const draws = rng.stream('draws');
  return () => sampleFromPool(pool, draws, spec.batchSize);
}

async function retrainMemoryAnti(
  run: TrainRun,
  spec: RetrainSpec,
  seed: number,
  onProgress?: ProgressFn,
  progressEvery = 500,
): Promise<NonNullable<JobResult['retrain']>> {
  const group: ParamGroup = run.experiment.modelConfig.kind === 'nmrnn' ? 'nm' : 'input';
  if (spec.newColumnInit !== undefined) {
    await setInputColumn(run, contextChannel('memoryAnti'), spec.newColumnInit);
  }
  const session = new TrainingSession(run.model, retrainBatches(spec, seed), {
    ...trainingOptionsFor(run.experiment.config),
    lr: spec.lr,
    stage: group,
    impl: run.impl,
  });
  const t0 = performance.now();
  try {
    const r = await runPhase(
      session,
      { group, steps: spec.steps, lr: spec.lr, resetOptimizer: true },
      spec.lr,
      {
        authorsLoop: run.experiment.config.training.authorsLoop,
        onStep: (rep, i) => {
          if ((i + 1) % progressEvery === 0 || i + 1 === spec.steps) {
            onProgress?.({
              label: `retrain ${group} on Memory Anti`,
              step: i + 1,
              steps: spec.steps,
              loss: rep.loss,
            });
          }
        },
      },
    );
    const { lossBlock, loss } = thinHistory(r.losses, []);
    return {
      spec,
      group,
      steps: r.losses.length,
      seconds: (performance.now() - t0) / 1000,
      finalLoss: finite(r.losses[r.losses.length - 1]),
      ...(r.stoppedEarly ? { stoppedEarly: r.stoppedEarly } : {}),
      lossBlock,
      loss,
      metrics: jsonSafe(await evaluateRun(run)),
    };
  } finally {
    session.dispose();
  }
}

export async function runJob(
  spec: JobSpec,
  opts: { onProgress?: ProgressFn; progressEvery?: number } = {},
): Promise<JobOutput> {
  const run = startRun(spec.config);
  try {
    const phases = phasesOf(spec.config.training);
    const total = phases.reduce((a, p) => a + p.steps, 0);
    await trainPhases(run, phases, {
      label: spec.id,
      onProgress: opts.onProgress,
      progressEvery: opts.progressEvery ?? 1000,
      evalEvery: Math.max(1, Math.round(total / 100)),
    });
    const metrics = jsonSafe(await evaluateRun(run));
    const trainedParams = await run.session.getParams();
    const result: JobOutput['result'] = {
      format: JOB_RESULT_FORMAT,
      version: JOB_RESULT_VERSION,
      id: spec.id,
      experiment: spec.experiment,
      model: spec.model,
      label: spec.label,
      preset: spec.preset,
      protocol: spec.protocol,
      seed: spec.seed,
      paramCount: run.model.paramCount(),
      steps: run.losses.length,
      seconds: run.seconds,
      finalLoss: finite(run.losses[run.losses.length - 1]),
      ...(run.stoppedEarly ? { stoppedEarly: run.stoppedEarly } : {}),
      phases: run.phases,
      metrics,
      history: thinHistory(run.losses, run.evals),
    };
    const models: JobOutput['models'] = {
      trained: modelText(run, spec, trainedParams, metrics, 'trained'),
    };
    if (spec.experiment === 'mwg') result.ablations = await mwgAblations(run);
    const cfg = run.experiment.modelConfig;
    if (spec.experiment === 'mwg' && cfg.kind === 'nmrnn' && cfg.R === 1) {
      result.rank1 = jsonSafeDeep(await analyzeRank1(run.model, run.experiment, run.impl));
    }
    if (spec.experiment === 'multitask' && cfg.kind === 'nmrnn') {
      const set = run.experiment.evalSets.find((s) => s.name === 'all-tasks');
      if (set) {
        const ev = await evaluateModel(run.model, set.batch, { impl: run.impl });
        if (ev.states.x)
          result.proAnti = jsonSafeDeep(proAntiSplit(ev.states.x.data, set.batch, cfg.N));
      }
    }
    if (spec.experiment === 'multitask' && spec.retrain) {
      result.retrain = await retrainMemoryAnti(
        run,
        spec.retrain,
        spec.seed,
        opts.onProgress,
        opts.progressEvery,
      );
      models.retrained = modelText(
        run,
        spec,
        await run.session.getParams(),
        result.retrain.metrics,
        'retrained on Memory Anti',
      );
    }
    return { result, models };
  } finally {
    disposeRun(run);
  }
}
